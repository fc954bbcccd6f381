package io.hitkeep.query;

import io.hitkeep.auth.AuthApi;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.hitkeep.web.Launcher;
import io.hitkeep.web.Observability;
import io.nats.client.Connection;

/** Runs the query API (with auth's routes) on its own against {@code HITKEEP_NATS_URL}. */
public final class QueryMain {
    private QueryMain() {
    }

    public static void main(String[] args) {
        try {
            Launcher launcher = new Launcher();
            Settings settings = Settings.load(args);
            Connection nats = launcher.connectRole(settings, "hitkeep-query");
            StoreClient store = new StoreClient(nats);
            Observability observability = Observability.withBroker(nats);
            launcher.serve(settings, routing -> {
                routing.addFeature(observability);
                AuthApi.routing(routing, settings, store);
                QueryApi.routing(routing, settings, store);
            });
        } catch (RuntimeException e) {
            Launcher.fail(e);
        }
    }
}
