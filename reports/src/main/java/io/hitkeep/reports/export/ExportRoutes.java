package io.hitkeep.reports.export;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.auth.Caller;
import io.hitkeep.core.StoreClient;
import io.hitkeep.web.HttpJson;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.logging.Logger;

/**
 * {@code GET /api/sites/{id}/export?from=YYYY-MM-DD&to=YYYY-MM-DD&format=csv|ndjson|parquet}: the site's raw
 * pageviews and events of the range as a download, streamed page by page from the writer (memory stays bounded
 * whatever the size). Authorised like the stats. Mounted at {@code /api/sites} after auth's guard. Thread-safe.
 */
public final class ExportRoutes implements HttpService {
    private static final Logger LOG = Logger.getLogger(ExportRoutes.class.getName());
    private final StoreClient store;

    public ExportRoutes(StoreClient store) {
        this.store = store;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{id}/export", this::export);
    }

    private void export(ServerRequest request, ServerResponse response) {
        var query = request.query();
        ExportRequest export = ExportRequest.parse(HttpJson.pathId(request, "id", "no such site"), query.first("from").asOptional(),
                query.first("to").asOptional(), query.first("format").asOptional());
        ExportWalk walk = ExportWalk.start(store, ExportPages.PAGE, Caller.of(request).scope(), export);
        response.header(HeaderNames.CONTENT_TYPE, export.format().contentType());
        response.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + export.fileName() + "\"");
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        // a buffer of its own: the formats write small pieces, and each write to the response would be a chunk of its own
        try (OutputStream out = new BufferedOutputStream(response.outputStream(), 1 << 16)) {
            long rows = walk.writeTo(out);
            LOG.fine(() -> "export of site " + export.siteId() + ": " + rows + " rows");
        } catch (IOException e) {
            // the status is sent already: the client sees a cut-off download, the log says why
            LOG.warning("export of site " + export.siteId() + " stopped: " + e.getMessage());
            throw new UncheckedIOException(e);
        }
    }
}
