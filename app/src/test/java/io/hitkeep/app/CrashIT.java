package io.hitkeep.app;

import io.hitkeep.testing.HttpSession;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of the single binary's JVM under load (as after an out-of-memory kill; its nats-server ends with it, and one
 * left by an older version is stopped at the restart), then a restart on the same data: every hit that got a 202 is
 * in {@code hits} exactly once.
 */
class CrashIT {
    private static final int WORKERS = 4;

    @Test
    void everyAcceptedHitIsCountedOnceAfterKill9() throws Exception {
        Path data = TempFiles.directory("hk-crash-");
        Path log = Files.createTempFile("hk-crash-", ".log");
        Map<String, String> environment = Map.of("HITKEEP_DATA_PATH", data.toString(),
                "HITKEEP_JWT_SECRET", "crash-test-secret-0123456789abcdef0123456789");
        JavaProcess first = JavaProcess.start(null, environment, log);
        long leftoverBroker = -1;
        try {
            HttpSession owner = new HttpSession(first.port).signIn("owner@example.com", "correct horse battery");
            int site = owner.createSite("example.com", "UTC");

            AtomicLong accepted = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                workers.add(Thread.ofPlatform().start(() -> {
                    HttpSession client = new HttpSession(first.port);
                    for (int i = 0; !stop.get(); i++) {
                        try {
                            HttpSession.Response response = client.pageview(HttpSession.FIREFOX_LINUX, "198.51.100." + (i % 200),
                                    Map.of("url", "https://example.com/w" + worker + "/" + (i % 50)));
                            if (response.status() == 202) {
                                accepted.incrementAndGet();
                            }
                        } catch (RuntimeException connectionLost) {
                            return;
                        }
                    }
                }));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (accepted.get() < 2000 && System.nanoTime() < deadline) {
                JavaProcess.pause(50);
            }
            leftoverBroker = ProcessHandle.of(first.pid()).flatMap(p -> p.children().findFirst()).map(ProcessHandle::pid).orElse(-1L);
            first.kill9();
            stop.set(true);
            for (Thread worker : workers) {
                worker.join();
            }
            long total = accepted.get();
            assertTrue(total >= 2000, "load ran: " + total);

            try (JavaProcess again = JavaProcess.start(null, environment, log)) {
                HttpSession restarted = new HttpSession(again.port).signIn("owner@example.com", "correct horse battery");
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                var stats = restarted.awaitStats(site, today, s -> s.get("summary").get("pageviews").asLong() >= total);
                // settle: anything still arriving would be a duplicate
                JavaProcess.pause(1000);
                long counted = restarted.stats(site, today, today).json().get("summary").get("pageviews").asLong();
                // a request in flight at the kill may be stored without its 202 reaching the client: one per worker
                assertTrue(counted >= total && counted <= total + WORKERS,
                        "accepted " + total + " before kill -9, counted " + counted + " after restart; log: " + again.tail());
                long broker = leftoverBroker;
                assertTrue(broker < 0 || ProcessHandle.of(broker).map(p -> !p.isAlive()).orElse(true),
                        "the broker left by the killed JVM was stopped");
                assertTrue(stats.get("summary").get("pageviews").asLong() >= total);
            }
        } finally {
            first.close();
            if (leftoverBroker > 0) {
                ProcessHandle.of(leftoverBroker).ifPresent(ProcessHandle::destroyForcibly);
            }
            TempFiles.deleteTree(data);
        }
    }
}
