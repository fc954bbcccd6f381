package io.hitkeep.core;

import io.nats.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(60)
class BrokerProbeTest {
    @TempDir
    Path dataPath;

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " within 20 s");
            }
            Thread.sleep(50);
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor());
    }

    /** Regression: /readyz stayed 200 for the whole 20 s a frozen broker did not answer. */
    @Test
    void aFrozenBrokerIsNotReadyAndAThawedOneIsAgain() throws Exception {
        try (BrokerSupervisor supervisor = BrokerSupervisor.start(Settings.of(Map.of(Settings.DATA_PATH, dataPath.toString())));
             Connection nats = NatsConnector.connect(supervisor.url(), "test")) {
            long server = Long.parseLong(Files.readString(supervisor.directory().resolve("nats-server.pid")).trim());
            BooleanSupplier brokerAnswers = BrokerProbe.answers(nats);
            await("ready while the broker answers", brokerAnswers);

            signal("STOP", server);
            try {
                await("not ready while the broker is frozen", () -> !brokerAnswers.getAsBoolean());
            } finally {
                signal("CONT", server);
            }
            await("ready again once it answers", brokerAnswers);
        }
    }
}
