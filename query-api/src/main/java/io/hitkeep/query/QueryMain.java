package io.hitkeep.query;

import io.hitkeep.auth.AuthApi;
import io.hitkeep.core.NatsConnector;
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
            Connection nats = launcher.closeOnExit(NatsConnector.connect(Launcher.requiredNatsUrl(settings), "hitkeep-query"));
            StoreClient store = new StoreClient(nats);
            Observability observability = new Observability()
                    .check("broker", () -> nats.getStatus() == Connection.Status.CONNECTED);
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
