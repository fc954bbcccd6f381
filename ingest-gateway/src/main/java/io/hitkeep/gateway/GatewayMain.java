package io.hitkeep.gateway;

import io.hitkeep.auth.AuthApi;
import io.hitkeep.core.StoreClient;
import io.hitkeep.web.Launcher;
import io.hitkeep.web.Observability;

/** Runs an ingest gateway on its own against {@code HITKEEP_NATS_URL}. */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) {
        Launcher.runRole(args, "hitkeep-gateway", (launcher, settings, nats) -> {
            Gateway gateway = launcher.closeOnExit(Gateway.start(settings, nats));
            launcher.serve(settings, routing -> {
                routing.addFeature(Observability.withBroker(nats));
                AuthApi.guard(routing, settings, new StoreClient(nats));
                gateway.routing(routing);
            });
        });
    }
}
