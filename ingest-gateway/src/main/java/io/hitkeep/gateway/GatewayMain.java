package io.hitkeep.gateway;

import io.hitkeep.auth.ApiAuthentication;
import io.hitkeep.core.Launcher;
import io.hitkeep.core.NatsConnector;
import io.hitkeep.core.Observability;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
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
            launcher.serve(settings, routing -> routing
                    .addFeature(observability)
                    .addFeature(ApiAuthentication.create(settings, new StoreClient(nats)))
                    .addFeature(gateway.routes())
                    .addFeature(new TrackerRoutes()));
        } catch (RuntimeException e) {
            Launcher.fail(e);
        }
    }
}
