package io.hitkeep.writer;

import io.hitkeep.web.Launcher;
import io.hitkeep.web.Observability;

/**
 * Runs the writer on its own against {@code HITKEEP_NATS_URL}; answers {@code /readyz} on its HTTP port.
 * With {@code HITKEEP_WRITER_PEERS} it is one replica of a {@link WriterCluster} (leader or standby);
 * without, it leads at once, alone.
 */
public final class WriterMain {
    private WriterMain() {
    }

    public static void main(String[] args) {
        Launcher.runRole(args, "hitkeep-writer", (launcher, settings, nats) -> {
            Observability observability = Observability.withBroker(nats);
            if (settings.value(WriterCluster.PEERS).isPresent()) {
                WriterCluster cluster = launcher.closeOnExit(WriterCluster.start(settings, nats));
                observability.check("writer", cluster::ready)
                        .field("writer", cluster::roleName)
                        .field("writer_state", cluster::state);
            } else {
                launcher.closeOnExit(Writer.start(settings, nats)).reportAsSoleLeader(observability);
            }
            launcher.serve(settings, routing -> routing.addFeature(observability));
        });
    }
}
