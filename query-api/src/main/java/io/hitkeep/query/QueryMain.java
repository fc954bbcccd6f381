package io.hitkeep.query;

import io.hitkeep.auth.AuthApi;
import io.hitkeep.core.StoreClient;
import io.hitkeep.web.Launcher;
import io.hitkeep.web.Observability;

/** Runs the query API (with auth's routes) on its own against {@code HITKEEP_NATS_URL}. */
public final class QueryMain {
    private QueryMain() {
    }

    public static void main(String[] args) {
        Launcher.runRole(args, "hitkeep-query", (launcher, settings, nats) -> {
            StoreClient store = new StoreClient(nats);
            launcher.serve(settings, routing -> {
                routing.addFeature(Observability.withBroker(nats));
                AuthApi.routing(routing, settings, store);
                QueryApi.routing(routing, settings, store);
            });
        });
    }
}
