package io.hitkeep.query;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.writer.Database;

import java.nio.charset.StandardCharsets;

/**
 * The HTTP API's OpenAPI 3.1 document at {@code /api/docs/openapi.json}, open to anyone (auth's guard lets it
 * pass): every route of every role with its parameters, bodies, answers, errors and the two ways to sign in.
 * It is written by hand beside this class ({@code openapi.json}); {@code app/.../ApiDocsTest} holds it to the
 * routes the single binary really registers and to a few real answers. Served by the query API, which is where
 * a split deployment sends {@code /api}. Thread-safe.
 */
final class ApiDocs implements HttpService {
    /** Checked at start, read from the jar on each request: it is asked for seldom, and 180 KB kept for good. */
    private static final String DOCUMENT = "openapi.json";

    ApiDocs() {
        Database.resource(ApiDocs.class, DOCUMENT);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/openapi.json", this::document);
    }

    private void document(ServerRequest request, ServerResponse response) {
        response.header(HeaderNames.CONTENT_TYPE, "application/json");
        // revalidated: a new version of the server may describe new routes
        response.header(HeaderNames.CACHE_CONTROL, "no-cache");
        response.send(Database.resource(ApiDocs.class, DOCUMENT).getBytes(StandardCharsets.UTF_8));
    }
}
