package io.hitkeep.query;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.auth.Caller;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.hitkeep.web.HttpJson;

import java.io.IOException;
import java.io.InputStream;

/**
 * A site's imports, mounted at {@code /api/sites}: {@code POST /{id}/imports?source=plausible|goatcounter}
 * with the export as the body (Plausible's zip; GoatCounter's CSV, gzipped or not, or zipped), optionally
 * {@code &filename=} for messages and the list; {@code GET /{id}/imports}; {@code DELETE /{id}/imports/{import}}.
 * Admins import and delete, members list. An upload over {@code import-max-bytes} is a 413. Thread-safe.
 */
final class ImportRoutes implements HttpService {
    private final StoreClient store;
    private final long maxBytes;

    ImportRoutes(Settings settings, StoreClient store) {
        this.store = store;
        this.maxBytes = settings.byteSize(Settings.IMPORT_MAX_BYTES, Settings.IMPORT_MAX_BYTES_DEFAULT);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{id}/imports", this::list)
                .post("/{id}/imports", this::upload)
                .delete("/{id}/imports/{import}", this::delete);
    }

    private void list(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Imports.LIST, new Sites.SiteRef(Caller.of(request).scope(), siteId(request)))
                .imports());
    }

    private void upload(ServerRequest request, ServerResponse response) throws IOException {
        Caller caller = Caller.of(request);
        int siteId = siteId(request);
        Imports.Source source = Imports.Source.parse(request.query().first("source").orElse(""));
        String fileName = request.query().first("filename").orElse("export." + (source == Imports.Source.PLAUSIBLE ? "zip" : "csv"));
        try (InputStream body = HttpJson.bodyStream(request, maxBytes)) {
            ImportUpload upload = new ImportUpload(store, caller.scope(), siteId, source, fileName, ImportChunks.CHUNK_BYTES);
            HttpJson.send(response, 201, upload.run(body));
        }
    }

    private void delete(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Imports.DELETE, new Imports.ImportRef(Caller.of(request).scope(), siteId(request),
                HttpJson.pathId(request, "import", "no such import"))));
    }

    private static int siteId(ServerRequest request) {
        return HttpJson.pathId(request, "id", "no such site");
    }
}
