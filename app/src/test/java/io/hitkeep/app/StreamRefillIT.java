package io.hitkeep.app;

import io.hitkeep.testing.HttpSession;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.Test;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression (issue 16): kill -9, then DuckDB's write-ahead log cut to half its length: the restart counted
 * 129 of 302 hits and said nothing, because the stream had deleted every acknowledged hit. The stream now
 * keeps a window and the writer reads it from the sequence stored in the database, so every hit that got a
 * 202 is counted exactly once.
 */
class StreamRefillIT {
    private static final int HITS = 600;

    @Test
    void everyAcceptedHitIsCountedOnceAfterTheWalIsCutInHalf() throws Exception {
        Path data = TempFiles.directory("hk-refill-");
        Path log = Files.createTempFile("hk-refill-", ".log");
        Map<String, String> environment = Map.of("HITKEEP_DATA_PATH", data.toString(),
                "HITKEEP_JWT_SECRET", "refill-test-secret-0123456789abcdef0123456789");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        int site;
        // the account and the site go into the database file itself: a clean stop checkpoints the log
        try (JavaProcess first = JavaProcess.start(null, environment, log)) {
            site = new HttpSession(first.port).signIn("owner@example.com", "correct horse battery").createSite("example.com", "UTC");
        }

        JavaProcess second = JavaProcess.start(null, environment, log);
        long accepted = 0;
        try {
            HttpSession visitor = new HttpSession(second.port);
            for (int i = 0; i < HITS; i++) {
                if (visitor.pageview(HttpSession.FIREFOX_LINUX, "198.51.100." + (i % 200),
                        Map.of("url", "https://example.com/p" + (i % 40))).status() == 202) {
                    accepted++;
                }
            }
            long total = accepted;
            new HttpSession(second.port).signIn("owner@example.com", "correct horse battery")
                    .awaitStats(site, today, stats -> stats.get("summary").get("pageviews").asLong() >= total);
        } finally {
            second.kill9();
        }
        assertEquals(HITS, accepted, "every pageview accepted");

        Path wal = data.resolve("hitkeep.db.wal");
        long walBytes = Files.size(wal);
        try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.WRITE)) {
            channel.truncate(walBytes / 2);
        }

        try (JavaProcess third = JavaProcess.start(null, environment, log)) {
            HttpSession owner = new HttpSession(third.port).signIn("owner@example.com", "correct horse battery");
            owner.awaitStats(site, today, stats -> stats.get("summary").get("pageviews").asLong() >= HITS);
            // settle: anything still arriving would be a duplicate
            JavaProcess.pause(1500);
            long counted = owner.stats(site, today, today).json().get("summary").get("pageviews").asLong();
            assertEquals(HITS, counted, "accepted " + HITS + ", counted after the cut log " + counted + "; log: " + third.tail());
            String output = Files.readString(log);
            assertTrue(output.contains("re-applied"), "the cut log lost hits that the stream gave back, and says so: " + third.tail());
        } finally {
            TempFiles.deleteTree(data);
        }
    }
}
