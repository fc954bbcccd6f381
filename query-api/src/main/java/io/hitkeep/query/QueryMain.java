package io.hitkeep.query;

import io.helidon.webserver.http.HttpRouting;
import io.hitkeep.auth.AuthApi;
import io.hitkeep.core.StoreClient;
import io.hitkeep.web.Launcher;
import io.hitkeep.web.Observability;

import java.util.function.BiConsumer;

/** Runs the query API (with auth's routes) on its own against {@code HITKEEP_NATS_URL}. */
public final class QueryMain {
    private QueryMain() {
    }

    public static void main(String[] args) {
        main(args, (routing, store) -> { });
    }

    /** As {@link #main(String[])}, with more routes behind auth's guard (the jar adds the reports module's exports). */
    public static void main(String[] args, BiConsumer<HttpRouting.Builder, StoreClient> more) {
        Launcher.runRole(args, "hitkeep-query", (launcher, settings, nats) -> {
            StoreClient store = new StoreClient(nats);
            launcher.serve(settings, routing -> {
                routing.addFeature(Observability.withBroker(nats));
                AuthApi.routing(routing, settings, store);
                QueryApi.routing(routing, settings, store);
                more.accept(routing, store);
            });
        });
    }
}
