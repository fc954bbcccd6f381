package io.hitkeep.writer;

import io.hitkeep.core.Hit;
import io.hitkeep.core.HitCodec;
import io.hitkeep.core.HitStream;
import io.hitkeep.core.Settings;
import io.hitkeep.core.Subjects;
import io.hitkeep.testing.NatsBroker;
import io.hitkeep.testing.TempFiles;
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
        return database.read(sql -> {
            try (var statement = sql.connection().createStatement(); var row = statement.executeQuery(query)) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    /** The stream is a work queue: once it is empty, the writer has committed and acknowledged everything. */
    static void awaitStreamDrained() throws Exception {
        var management = broker.connection().jetStreamManagement();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (management.getStreamInfo(Subjects.HIT_STREAM).getStreamState().getMsgCount() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the writer did not drain the stream within 30 s");
            }
            Thread.sleep(20);
        }
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

    @Test
    void everyPublishedHitIsStoredOnceAcrossARestart() throws Exception {
        Path data = TempFiles.directory("hk-writer-");
        Settings settings = Settings.of(Map.of(Settings.DATA_PATH, data.toString(), "batch-wait", "20ms"));
        var jetStream = broker.connection().jetStream();
        HitStream.ensure(broker.connection().jetStreamManagement());
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
            awaitStreamDrained();
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

    static String text(Database database, String query) {
        return database.read(sql -> {
            try (var statement = sql.connection().createStatement(); var row = statement.executeQuery(query)) {
                row.next();
                return row.getString(1);
            }
        });
    }

    /** Migration 002 added browser_version, os_version and medium last; the Appender must fill them last. */
    @Test
    void versionsAndMediumLandInTheirColumns() throws Exception {
        Path data = TempFiles.directory("hk-writer-");
        Settings settings = Settings.of(Map.of(Settings.DATA_PATH, data.toString(), "batch-wait", "20ms"));
        HitStream.ensure(broker.connection().jetStreamManagement());
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
            awaitStreamDrained();
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
}
