package io.hitkeep.writer;

import io.hitkeep.web.Launcher;
import io.hitkeep.web.Observability;

/** Runs the writer on its own against {@code HITKEEP_NATS_URL}; answers {@code /readyz} on its HTTP port. */
public final class WriterMain {
    private WriterMain() {
    }

    public static void main(String[] args) {
        Launcher.runRole(args, "hitkeep-writer", (launcher, settings, nats) -> {
            Writer writer = launcher.closeOnExit(Writer.start(settings, nats));
            Observability observability = Observability.withBroker(nats).check("writer", writer::ready);
            launcher.serve(settings, routing -> routing.addFeature(observability));
        });
    }
}
