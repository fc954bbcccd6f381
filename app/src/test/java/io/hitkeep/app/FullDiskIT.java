package io.hitkeep.app;

import io.hitkeep.testing.HttpSession;
import io.hitkeep.testing.SmallVolume;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The single binary on a 64 MiB volume of its own (a tmpfs this test mounts; root only, skipped otherwise):
 * the volume runs full under ingest, then space is freed. Regression (issue 16): ingest answered 503 after
 * about 15 s per request while full, and still for minutes after space was freed, until a restart by hand.
 * Now: 503 (at once while the broker is known to fail), ingest back by itself, and every hit that got a 202 is
 * counted; every 503 carries {@code Retry-After}.
 */
class FullDiskIT {
    private static final Map<String, Object> PAGE = Map.of("url", "https://example.com/full-disk");

    @Test
    void ingestComesBackByItselfAfterTheVolumeWasFullAndLosesNoAcceptedHit() throws Exception {
        try (SmallVolume small = SmallVolume.mount("64m")) {
            drill(small.path());
        }
    }

    private static void drill(Path volume) throws Exception {
        Path log = Files.createTempFile("hk-full-disk-", ".log");
        try (JavaProcess hitkeep = JavaProcess.start(null, Map.of("HITKEEP_DATA_PATH", volume.resolve("data").toString(),
                "HITKEEP_JWT_SECRET", "full-disk-test-secret-0123456789abcdef0123456789"), log)) {
            HttpSession owner = new HttpSession(hitkeep.port).signIn("owner@example.com", "correct horse battery");
            int site = owner.createSite("example.com", "UTC");
            HttpSession visitor = new HttpSession(hitkeep.port);
            long accepted = 0;
            for (int i = 0; i < 50; i++) {
                accepted += send(visitor, i).status() == 202 ? 1 : 0;
            }

            Path filler = volume.resolve("filler");
            SmallVolume.fill(filler);
            List<Long> refusedMillis = new ArrayList<>();
            int withRetryAfter = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (refusedMillis.size() < 10 && System.nanoTime() < deadline) {
                long started = System.nanoTime();
                HttpSession.Response response = send(visitor, 100 + refusedMillis.size());
                if (response.status() == 202) {
                    accepted++;
                } else if (response.status() == 503) {
                    refusedMillis.add(Duration.ofNanos(System.nanoTime() - started).toMillis());
                    withRetryAfter += response.headers().containsKey("retry-after") ? 1 : 0;
                }
                JavaProcess.pause(300);
            }
            assertTrue(refusedMillis.size() > 0, "a full volume stops ingest; log: " + hitkeep.tail());
            assertTrue(withRetryAfter == refusedMillis.size(), withRetryAfter + " of " + refusedMillis.size() + " 503s say Retry-After");

            Files.delete(filler);
            long freed = System.nanoTime();
            long recoveredMillis = -1;
            deadline = freed + Duration.ofSeconds(120).toNanos();
            while (recoveredMillis < 0 && System.nanoTime() < deadline) {
                if (send(visitor, 200).status() == 202) {
                    accepted++;
                    recoveredMillis = Duration.ofNanos(System.nanoTime() - freed).toMillis();
                } else {
                    JavaProcess.pause(500);
                }
            }
            assertTrue(recoveredMillis >= 0, "ingest answers 202 again within 120 s of freeing the space; log: " + hitkeep.tail());
            for (int i = 0; i < 40; i++) {
                accepted += send(visitor, 300 + i).status() == 202 ? 1 : 0;
            }

            long total = accepted;
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            owner.awaitStats(site, today, stats -> stats.get("summary").get("pageviews").asLong() >= total);
            JavaProcess.pause(1500);
            long counted = owner.stats(site, today, today).json().get("summary").get("pageviews").asLong();
            long slowRefusals = refusedMillis.stream().filter(millis -> millis > 1000).count();
            System.out.println("full-disk drill: 202s " + total + ", counted " + counted + ", 503 times (ms) " + refusedMillis
                    + " (" + withRetryAfter + " with Retry-After), ingest back " + recoveredMillis + " ms after the space was freed");
            // a 503 after the ack timed out may still have been stored: the only hits that may be counted on top
            assertTrue(counted >= total && counted <= total + slowRefusals,
                    "202s " + total + ", counted " + counted + ", slow 503s " + slowRefusals + "; log: " + hitkeep.tail());
        }
    }

    private static HttpSession.Response send(HttpSession visitor, int number) {
        return visitor.pageview(HttpSession.FIREFOX_LINUX, "198.51.100." + (number % 250), PAGE);
    }
}
