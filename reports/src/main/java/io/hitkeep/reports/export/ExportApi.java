package io.hitkeep.reports.export;

import io.helidon.webserver.http.HttpRouting;
import io.hitkeep.core.StoreClient;

/** The export's HTTP face, mounted by the single binary and by the query role after auth's guard. */
public final class ExportApi {
    private ExportApi() {
    }

    public static void routing(HttpRouting.Builder routing, StoreClient store) {
        routing.register("/api/sites", new ExportRoutes(store));
    }
}
