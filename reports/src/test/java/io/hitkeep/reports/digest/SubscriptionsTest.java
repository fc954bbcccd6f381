package io.hitkeep.reports.digest;

import io.hitkeep.core.Settings;
import io.hitkeep.reports.mail.Outbox;
import io.hitkeep.testing.TempFiles;
import io.hitkeep.writer.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Digest subscriptions in a real hitkeep.db: a period is queued once, however often it is tried. */
class SubscriptionsTest {
    private Path data;
    private Database database;
    private Subscriptions subscriptions;
    private Outbox outbox;

    @BeforeEach
    void open() {
        data = TempFiles.directory("hk-subscriptions-");
        database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())));
        outbox = new Outbox(database, Clock.systemUTC());
        subscriptions = new Subscriptions(database, outbox, Clock.systemUTC());
        database.write("seed", sql -> {
            try (var statement = sql.connection().createStatement()) {
                statement.execute("INSERT INTO users (id, email, password_hash) VALUES (7, 'ada@example.com', 'x')");
                statement.execute("INSERT INTO sites (id, owner_id, domain, name, timezone) VALUES (3, 7, 'a.example', 'A', 'Europe/Berlin')");
                statement.execute("INSERT INTO report_subscriptions (user_id, site_id, weekly, monthly, week_sent) "
                        + "VALUES (7, 3, true, false, DATE '2026-04-27')");
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        database.close();
        TempFiles.deleteTree(data);
    }

    private Subscriptions.Queue digest(String periodStart, boolean scheduled) {
        return new Subscriptions.Queue(7, 3, "week", periodStart, scheduled, "ada@example.com", "A: Week of 4 May 2026",
                "text", "<p>html</p>", Map.of("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"));
    }

    @Test
    void aScheduledPeriodIsQueuedOnceAndSendNowAnyTime() {
        Subscriptions.Subscriber subscriber = subscriptions.due().subscribers().getFirst();
        assertEquals("ada@example.com", subscriber.email());
        assertEquals("Europe/Berlin", subscriber.timezone());
        assertEquals(LocalDate.parse("2026-04-27"), subscriber.sent(Period.WEEK).orElseThrow());
        assertTrue(subscriber.sent(Period.MONTH).isEmpty());

        assertTrue(subscriptions.queue(digest("2026-05-04", true)).mailId() > 0);
        assertEquals(0, subscriptions.queue(digest("2026-05-04", true)).mailId(), "a second run queues nothing");
        assertEquals(0, subscriptions.queue(digest("2026-04-27", true)).mailId(), "nor an older period");
        assertEquals(LocalDate.parse("2026-05-04"), subscriptions.due().subscribers().getFirst().sent(Period.WEEK).orElseThrow());
        assertTrue(subscriptions.queue(digest("2026-05-04", false)).mailId() > 0, "send now is not a scheduled period");
        assertEquals(2, outbox.counts().of("pending"));
    }

    @Test
    void unsubscribingStopsThatPeriodOnly() {
        database.write("monthly too", sql -> {
            try (var statement = sql.connection().createStatement()) {
                statement.execute("UPDATE report_subscriptions SET monthly = true");
            }
            return null;
        });
        Subscriptions.Subscription left = subscriptions.unsubscribe(new Subscriptions.Unsubscribe(7, 3, "week"));
        assertFalse(left.weekly());
        assertTrue(left.monthly());
        assertEquals("A", left.siteName());
        assertEquals(0, subscriptions.queue(digest("2026-05-11", true)).mailId(), "an unsubscribed period is not queued");
    }
}
