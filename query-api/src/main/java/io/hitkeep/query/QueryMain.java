package io.hitkeep.query;

import io.helidon.webserver.http.HttpRouting;
import io.hitkeep.auth.AuthApi;
import io.helidon.webserver.http.HttpRouting;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.hitkeep.web.Launcher;
import io.hitkeep.web.Observability;

import java.util.function.BiConsumer;

/** Runs the query API (with auth's routes) on its own against {@code HITKEEP_NATS_URL}. */
public final class QueryMain {
    private QueryMain() {
    }

    /** Routes of another module that the role serving {@code /api} mounts too (the reports module's digests). */
    @FunctionalInterface
    public interface MoreRoutes {
        void routing(HttpRouting.Builder routing, Settings settings, StoreClient store);
    }

    public static void main(String[] args) {
        run(args, (routing, settings, store) -> {
        });
    }

    /** The query role with {@code more} routes after its own (the jar's {@code query} role adds the digests'). */
    public static void run(String[] args, MoreRoutes more) {
        Launcher.runRole(args, "hitkeep-query", (launcher, settings, nats) -> {
            StoreClient store = new StoreClient(nats);
            launcher.serve(settings, routing -> {
                routing.addFeature(Observability.withBroker(nats));
                AuthApi.routing(routing, settings, store);
                QueryApi.routing(routing, settings, store);
                more.routing(routing, settings, store);
            });
        });
    }
}
