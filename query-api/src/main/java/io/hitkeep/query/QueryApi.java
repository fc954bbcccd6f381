package io.hitkeep.query;

import io.helidon.webserver.http.HttpRouting;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;

/**
 * The stats domain's HTTP face, declared once for {@link QueryMain} and the single binary: sites, their
 * stats, live counter, goals, annotations, funnels and imports under {@code /api/sites}, share links and shared dashboards under {@code /api}, and the
 * API's OpenAPI document at {@code /api/docs/openapi.json}.
 * Mount it after auth's guard ({@code AuthApi}).
 */
public final class QueryApi {
    private QueryApi() {
    }

    public static void routing(HttpRouting.Builder routing, Settings settings, StoreClient store) {
        routing.register("/api", new ShareRoutes(settings, store))
                .register("/api/sites", new SiteRoutes(store))
                .register("/api/sites", new GoalRoutes(store))
                .register("/api/sites", new FunnelRoutes(store))
                .register("/api/sites", new ImportRoutes(settings, store))
                .register("/api/docs", new ApiDocs());
    }
}
