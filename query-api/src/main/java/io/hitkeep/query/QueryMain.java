package io.hitkeep.query;

import io.hitkeep.auth.AccountRoutes;
import io.hitkeep.auth.TeamRoutes;
import io.hitkeep.auth.ApiAuthentication;
import io.hitkeep.auth.PasskeyRoutes;
import io.hitkeep.core.Launcher;
import io.hitkeep.core.NatsConnector;
import io.hitkeep.core.Observability;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.nats.client.Connection;

/** Runs the query API (with the account routes of auth) on its own against {@code HITKEEP_NATS_URL}. */
public final class QueryMain {
    private QueryMain() {
    }

    public static void main(String[] args) {
        try {
            Launcher launcher = new Launcher();
            Settings settings = Settings.load(args);
            Connection nats = launcher.closeOnExit(NatsConnector.connect(Launcher.requiredNatsUrl(settings), "hitkeep-query"));
            StoreClient store = new StoreClient(nats);
            Observability observability = new Observability()
                    .check("broker", () -> nats.getStatus() == Connection.Status.CONNECTED);
            launcher.serve(settings, routing -> routing
                    .addFeature(observability)
                    .addFeature(ApiAuthentication.create(settings, store))
                    .register("/api", new AccountRoutes(settings, store))
                    .register("/api", new TeamRoutes(settings, store))
                    .register("/api", new ShareRoutes(settings, store))
                    .register("/api", new PasskeyRoutes(settings, store))
                    .register("/api/sites", new SiteRoutes(store)));
        } catch (RuntimeException e) {
            Launcher.fail(e);
        }
    }
}
