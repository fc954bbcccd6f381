package io.hitkeep.gateway;

import io.hitkeep.auth.AuthApi;
import io.hitkeep.core.NatsConnector;
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
            Connection nats = launcher.closeOnExit(NatsConnector.connect(Launcher.requiredNatsUrl(settings), "hitkeep-gateway"));
            Gateway gateway = launcher.closeOnExit(Gateway.start(settings, nats));
            Observability observability = new Observability()
                    .check("broker", () -> nats.getStatus() == Connection.Status.CONNECTED);
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
