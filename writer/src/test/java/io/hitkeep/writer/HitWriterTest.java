package io.hitkeep.writer;

import io.hitkeep.core.Hit;
import io.hitkeep.core.HitCodec;
import io.hitkeep.core.HitStream;
import io.hitkeep.core.Settings;
import io.hitkeep.core.Subjects;
import io.hitkeep.testing.NatsBroker;
import io.hitkeep.testing.TempFiles;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HitWriterTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    static Hit pageview(int site, String path, long visitor, long micros) {
        Hit.Builder hit = Hit.builder();
        hit.siteId = site;
        hit.path = path;
        hit.visitorId = visitor;
        hit.timestampMicros = micros;
        return hit.build();
    }

    static long count(Database database, String query) {
        return firstColumn(database, query, row -> row.getLong(1));
    }

    static String text(Database database, String query) {
        return firstColumn(database, query, row -> row.getString(1));
    }

    private static <T> T firstColumn(Database database, String query, Sql.Row<T> column) {
        return database.read(sql -> {
            try (var statement = sql.connection().createStatement(); var row = statement.executeQuery(query)) {
                row.next();
                return column.map(row);
            }
        });
    }

    /**
     * HitWriter relies on this: once a statement has begun the transaction (auto-commit off), the
     * Appender's rows are part of it and go away on rollback. Before any statement they were not.
     */
    @Test
    void appenderRowsRollBackWithTheTransactionAStatementBegan() throws SQLException {
        Path data = TempFiles.directory("hk-writer-");
        try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())));
             DuckDBConnection connection = database.connection();
             DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "ingest_progress")) {
            connection.setAutoCommit(false);
            try (var statement = connection.createStatement()) {
                statement.execute("SELECT 1");
            }
            appender.beginRow().append("x").append(1L).endRow();
            appender.flush();
            connection.rollback();
            assertEquals(0, count(database, "SELECT count(*) FROM ingest_progress"));
        } finally {
            TempFiles.deleteTree(data);
        }
    }

    /** The rollups learn of every hour that got pageviews or pings from marks stored with the hits themselves. */
    @Test
    void everyHourWithPageviewsOrPingsIsMarkedForTheRollupsWithTheHits() {
        try (StoredHits stored = StoredHits.open()) {
            long hour = 3_600_000_000L;
            long noon = 1_780_000_000L / 3600 * hour;
            Hit.Builder event = pageview(1, "/", 1, noon + 3 * hour).toBuilder();
            event.eventName = "Signup";
            stored.add(pageview(1, "/", 1, noon), pageview(1, "/a", 1, noon + 60_000_000L), pageview(2, "/", 2, noon + 10),
                    pageview(1, "/", 1, noon + hour).asEngagement(5000), event.build());
            assertEquals(3, count(stored.database(), "SELECT count(*) FROM rollup_pending"), "site 1 at noon and at one, site 2 at noon");
            assertEquals(1, count(stored.database(), "SELECT count(*) FROM rollup_pending WHERE site_id = 1 AND epoch_us(hour) = "
                    + (noon + hour)), "the ping's hour");
        }
    }

    @Test
    void everyPublishedHitIsStoredOnceAcrossARestart() throws Exception {
        Path data = TempFiles.directory("hk-writer-");
        Settings settings = Settings.of(Map.of(Settings.DATA_PATH, data.toString(), "batch-wait", "20ms"));
        var jetStream = broker.connection().jetStream();
        StreamFixtures.empty(broker.connection());
        long now = System.currentTimeMillis() * 1000;
        try {
            Writer writer = Writer.start(settings, broker.connection());
            for (int message = 0; message < 50; message++) {
                List<Hit> hits = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    hits.add(pageview(1, "/p" + (i % 5), message, now + i));
                }
                jetStream.publish(Subjects.HITS, HitCodec.encode(hits));
            }
            writer.close();
            // what was not written yet, and what was, both come again after a restart
            writer = Writer.start(settings, broker.connection());
            for (int message = 0; message < 10; message++) {
                jetStream.publish(Subjects.HITS, HitCodec.encode(List.of(pageview(2, "/b", message, now))));
            }
            StreamFixtures.awaitDrained(broker.connection());
            writer.close();
            Database database = Database.open(settings);
            try {
                assertEquals(1000, count(database, "SELECT count(*) FROM hits WHERE site_id = 1"));
                assertEquals(10, count(database, "SELECT count(*) FROM hits WHERE site_id = 2"));
                assertEquals(50, count(database, "SELECT count(DISTINCT session_id) FROM hits WHERE site_id = 1"));
            } finally {
                database.close();
            }
        } finally {
            TempFiles.deleteTree(data);
        }
    }

    /** A writer's settings: its data in {@code data}, that batch wait; the hit stream is emptied for the test. */
    private static Settings onEmptyStream(Path data, String batchWait) throws Exception {
        StreamFixtures.empty(broker.connection());
        return Settings.of(Map.of(Settings.DATA_PATH, data.toString(), "batch-wait", batchWait));
    }

    /** A writer on the test's broker that has its consumer. */
    private static HitWriter startedWriter(Database database, Settings settings, WriteProgress progress) throws InterruptedException {
        HitWriter writer = new HitWriter(database, broker.connection(), settings, progress).start();
        for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); !writer.ready(); Thread.sleep(10)) {
            assertTrue(System.nanoTime() < deadline, "the writer did not start within 30 s");
        }
        return writer;
    }

    /**
     * A read right after a 202 counts the hit: it waits for the writer, and the writer commits the batch in
     * hand instead of waiting out {@code batch-wait} to fill it. The batch wait here (3 s) is longer than a
     * read ever waits (1 s), so the hits are there only if the writer cut its batch short for the read. The same
     * when the read does its first part meanwhile ({@code awaitAcceptedWhile}).
     */
    @Test
    void aReadAfterTheStreamAcceptedHitsCountsThemThoughTheBatchIsNotFull() throws Exception {
        Path data = TempFiles.directory("hk-writer-");
        Settings settings = onEmptyStream(data, "3s");
        long now = System.currentTimeMillis() * 1000;
        WriteProgress progress = new WriteProgress(broker.connection(), settings);
        try (Database database = Database.open(settings)) {
            HitWriter writer = startedWriter(database, settings, progress);
            try {
                for (int round = 1; round <= 4; round++) {
                    for (int message = 0; message < 5; message++) {
                        broker.connection().jetStream().publish(Subjects.HITS, HitCodec.encode(List.of(pageview(4, "/r" + round, message, now))));
                    }
                    if (round % 2 == 1) {
                        progress.awaitAccepted();
                    } else {
                        // the part of a read that does not need the newest hits runs meanwhile, on the reader's thread
                        Thread reader = Thread.currentThread();
                        assertEquals("site", progress.awaitAcceptedWhile(() -> Thread.currentThread() == reader ? "site" : "elsewhere"));
                    }
                    assertEquals(5L * round, count(database, "SELECT count(*) FROM hits WHERE site_id = 4"), "round " + round);
                }
            } finally {
                writer.close();
            }
        } finally {
            TempFiles.deleteTree(data);
        }
    }

    /**
     * The broker counts a message as delivered when it sends it. One lost on its way (its broker died, as in
     * the Compose drill) was never written, and the acknowledgement of a later message acknowledged it too.
     * Here a second subscriber on the writer's consumer takes messages the writer never sees: the writer
     * reads them from the stream, whether a later message shows the gap or the writer finds it while idle.
     */
    @Test
    void aMessageTheConsumerSentThatNeverReachedTheWriterIsStillWritten() throws Exception {
        Path data = TempFiles.directory("hk-writer-");
        Settings settings = onEmptyStream(data, "20ms");
        long now = System.currentTimeMillis() * 1000;
        try (Database database = Database.open(settings);
             Connection elsewhere = Nats.connect(broker.url())) {
            HitWriter writer = startedWriter(database, settings, new WriteProgress(broker.connection(), settings));
            try {
                JetStreamSubscription taker = elsewhere.jetStream().subscribe(null,
                        PullSubscribeOptions.bind(Subjects.HIT_STREAM, Subjects.WRITER_CONSUMER));
                int[] published = {0};
                Runnable publishOne = () -> {
                    try {
                        broker.connection().jetStream().publish(Subjects.HITS,
                                HitCodec.encode(List.of(pageview(6, "/g" + published[0], published[0], now))));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    published[0]++;
                };
                for (String where : List.of("between two messages the writer got", "after the writer's newest message")) {
                    // the consumer serves its waiting pulls in turn: one message at a time until one goes elsewhere
                    taker.pullExpiresIn(1, Duration.ofSeconds(30));
                    Message taken = null;
                    while (taken == null && published[0] < 500) {
                        publishOne.run();
                        taken = taker.nextMessage(Duration.ofMillis(50));
                    }
                    assertNotNull(taken, "no message went to the other subscriber");
                    if (where.startsWith("between")) {
                        publishOne.run();  // the writer gets this one, with the gap before it
                    }
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (count(database, "SELECT count(*) FROM hits WHERE site_id = 6") < published[0]) {
                        assertTrue(System.nanoTime() < deadline, "a message taken " + where + " was not written: "
                                + count(database, "SELECT count(*) FROM hits WHERE site_id = 6") + " of " + published[0]);
                        Thread.sleep(20);
                    }
                }
                assertEquals(published[0], count(database, "SELECT count(DISTINCT path) FROM hits WHERE site_id = 6"));
                assertEquals(published[0], count(database, "SELECT count(*) FROM hits WHERE site_id = 6"), "each once");
            } finally {
                writer.close();
            }
        } finally {
            TempFiles.deleteTree(data);
        }
    }

    /** Migration 002 added browser_version, os_version and medium last; the Appender must fill them last. */
    @Test
    void versionsAndMediumLandInTheirColumns() throws Exception {
        Path data = TempFiles.directory("hk-writer-");
        Settings settings = onEmptyStream(data, "20ms");
        long now = System.currentTimeMillis() * 1000;
        try {
            Hit.Builder pageview = Hit.builder();
            pageview.siteId = 3;
            pageview.path = "/";
            pageview.browser = "Firefox";
            pageview.os = "macOS";
            pageview.timestampMicros = now;
            pageview.browserVersion = "128";
            pageview.osVersion = "10.15";
            pageview.medium = "search";
            Hit.Builder event = Hit.builder();
            event.siteId = 3;
            event.eventName = "signup";
            event.timestampMicros = now;
            event.browserVersion = "17";
            event.osVersion = "17.6";
            event.medium = "social";
            Writer writer = Writer.start(settings, broker.connection());
            broker.connection().jetStream().publish(Subjects.HITS, HitCodec.encode(List.of(pageview.build(), event.build())));
            StreamFixtures.awaitDrained(broker.connection());
            writer.close();
            try (Database database = Database.open(settings)) {
                assertEquals("Firefox 128 macOS 10.15 search", text(database,
                        "SELECT concat_ws(' ', browser, browser_version, os, os_version, medium) FROM hits WHERE site_id = 3"));
                assertEquals("17 17.6 social", text(database,
                        "SELECT concat_ws(' ', browser_version, os_version, medium) FROM events WHERE site_id = 3"));
            }
        } finally {
            TempFiles.deleteTree(data);
        }
    }

    /**
     * Regression: the stream was a work queue that forgot a hit once it was acknowledged, so a database that
     * lost its newest part (a cut write-ahead log, an older copy restored) lost those hits for good. The stream
     * now keeps a window and the writer reads it from the sequence the database itself stores.
     */
    @Test
    void anOlderCopyOfTheDatabaseIsRefilledFromTheStreamOnce() throws Exception {
        Path data = TempFiles.directory("hk-writer-");
        Path older = TempFiles.directory("hk-writer-older-");
        Settings settings = Settings.of(Map.of(Settings.DATA_PATH, data.toString(), "batch-wait", "20ms"));
        var jetStream = broker.connection().jetStream();
        StreamFixtures.empty(broker.connection());
        long now = System.currentTimeMillis() * 1000;
        try {
            Writer writer = Writer.start(settings, broker.connection());
            for (int message = 0; message < 10; message++) {
                jetStream.publish(Subjects.HITS, HitCodec.encode(List.of(pageview(4, "/early", message, now), pageview(4, "/early", message, now + 1))));
            }
            StreamFixtures.awaitDrained(broker.connection());
            writer.close();
            java.nio.file.Files.copy(data.resolve("hitkeep.db"), older.resolve("hitkeep.db"));

            writer = Writer.start(settings, broker.connection());
            for (int message = 0; message < 20; message++) {
                jetStream.publish(Subjects.HITS, HitCodec.encode(List.of(pageview(4, "/late", message, now))));
            }
            StreamFixtures.awaitDrained(broker.connection());
            writer.close();
            java.nio.file.Files.copy(older.resolve("hitkeep.db"), data.resolve("hitkeep.db"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (Database restored = Database.open(settings)) {
                assertEquals(0, count(restored, "SELECT count(*) FROM hits WHERE site_id = 4 AND path = '/late'"), "the copy is older");
            }

            writer = Writer.start(settings, broker.connection());
            // until it is ready, the consumer is still the last writer's, with nothing pending
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!writer.ready() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            StreamFixtures.awaitDrained(broker.connection());
            writer.close();
            try (Database database = Database.open(settings)) {
                assertEquals(20, count(database, "SELECT count(*) FROM hits WHERE site_id = 4 AND path = '/early'"));
                assertEquals(20, count(database, "SELECT count(*) FROM hits WHERE site_id = 4 AND path = '/late'"));
            }
        } finally {
            TempFiles.deleteTree(data);
            TempFiles.deleteTree(older);
        }
    }
}
