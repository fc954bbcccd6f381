package io.hitkeep.gateway;

import io.hitkeep.auth.AuthApi;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.hitkeep.web.Launcher;
import io.hitkeep.web.Observability;
import io.nats.client.Connection;

/** Runs an ingest gateway on its own against {@code HITKEEP_NATS_URL}. */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) {
        try {
            Launcher launcher = new Launcher();
            Settings settings = Settings.load(args);
            Connection nats = launcher.connectRole(settings, "hitkeep-gateway");
            Gateway gateway = launcher.closeOnExit(Gateway.start(settings, nats));
            Observability observability = Observability.withBroker(nats);
            launcher.serve(settings, routing -> {
                routing.addFeature(observability);
                AuthApi.guard(routing, settings, new StoreClient(nats));
                gateway.routing(routing);
            });
        } catch (RuntimeException e) {
            Launcher.fail(e);
        }
    }
}
