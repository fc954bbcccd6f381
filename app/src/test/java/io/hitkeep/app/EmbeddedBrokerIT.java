package io.hitkeep.app;

import io.hitkeep.testing.HttpSession;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The single binary on a machine without nats-server: the jar's own copy is unpacked into the data directory
 * and runs the broker. The system program is hidden from the process: {@code PATH} and the search path name an
 * empty directory, and {@code HITKEEP_NATS_SERVER_BIN} is unset.
 */
class EmbeddedBrokerIT {
    @Test
    void startsAndIngestsWithOnlyAJdkAndItsBrokerEndsWithTheKilledJvm() throws Exception {
        Path data = TempFiles.directory("hk-embedded-");
        Path nothingInstalled = TempFiles.directory("hk-no-programs-");
        Path log = Files.createTempFile("hk-embedded-", ".log");
        Map<String, String> environment = Map.of("HITKEEP_DATA_PATH", data.toString(),
                "HITKEEP_JWT_SECRET", "embedded-test-secret-0123456789abcdef0123456789",
                "PATH", nothingInstalled.toString(),
                "HITKEEP_NATS_SERVER_SEARCH_PATH", nothingInstalled.toString());
        JavaProcess hitkeep = JavaProcess.start(null, environment, log);
        long broker = -1;
        try {
            Path unpacked = data.resolve("nats").resolve("bin").resolve("nats-server");
            broker = Long.parseLong(Files.readString(data.resolve("nats").resolve("nats-server.pid")).trim());
            assertTrue(Files.isExecutable(unpacked), "unpacked into the data directory");
            assertEquals(unpacked.toString(), ProcessHandle.of(broker).flatMap(p -> p.info().command()).orElse(""),
                    "the broker runs the unpacked program");

            HttpSession owner = new HttpSession(hitkeep.port).signIn("owner@example.com", "correct horse battery");
            int site = owner.createSite("example.com", "UTC");
            assertEquals(202, new HttpSession(hitkeep.port).pageview(HttpSession.FIREFOX_LINUX, "198.51.100.7",
                    Map.of("url", "https://example.com/only-a-jdk")).status());
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            owner.awaitStats(site, today, stats -> stats.get("summary").get("pageviews").asLong() == 1);

            hitkeep.kill9();

            long server = broker;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ProcessHandle.of(server).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
                JavaProcess.pause(100);
            }
            assertTrue(ProcessHandle.of(server).map(p -> !p.isAlive()).orElse(true),
                    "nats-server " + server + " outlived its killed JVM; log: " + hitkeep.tail());
        } finally {
            hitkeep.close();
            if (broker > 0) {
                ProcessHandle.of(broker).ifPresent(ProcessHandle::destroyForcibly);
            }
            TempFiles.deleteTree(data);
            TempFiles.deleteTree(nothingInstalled);
        }
    }
}
