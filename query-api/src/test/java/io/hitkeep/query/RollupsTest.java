package io.hitkeep.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.Hit;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.StoredHits;
import org.junit.jupiter.api.Test;

import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The roller's upkeep: hits that reached the database behind the writer's back (imported, restored) are
 * found at start, a site whose time zone changed is rolled again in its new zone, a rebuild rolls every day
 * again, and a range is read from the raw hits until the rollups can answer it. Every check compares the
 * rollups' answer with the raw hits'.
 */
class RollupsTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final StatsRequest WEEK = new StatsRequest(1, "2026-06-01", "2026-06-07", List.of(), 10,
            List.of("summary", "chart", "lists"));

    @Test
    void hitsImportedIntoAStoppedInstallationAreRolledAtStart() {
        try (StoredHits stored = StoredHits.open()) {
            stored.add(week(0));
            StatsPaths.roll(stored.database(), 1, UTC);
            // a copy of every hit a day later, written without the writer: no pending mark. Its visitor ids are salted
            // for their new UTC day, as the gateways make them (week's ids end in the epoch day): the rollups count a
            // visitor once over two days only where an id can be seen on both
            execute(stored.database(), "INSERT INTO hits SELECT * REPLACE (timestamp + INTERVAL 1 DAY AS timestamp, visitor_id + 1 AS visitor_id)"
                    + " FROM hits");

            Rollups restarted = new Rollups(stored.database(), Duration.ZERO);
            assertFalse(restarted.caughtUp(), "until the start's catch-up, ranges are read from the hits");
            restarted.catchUp();
            assertEquals(7, restarted.pendingDays(1, UTC).size(), "June 2 to 7 changed, June 8 is new");
            restarted.rollPending();
            assertTrue(restarted.pendingDays(1, UTC).isEmpty());
            assertSameAnswers(stored.database(), restarted, UTC);
        }
    }

    @Test
    void aSiteWhoseZoneChangedIsRolledAgainInItsNewZone() {
        try (StoredHits stored = StoredHits.open()) {
            stored.add(week(0));
            Rollups rollups = StatsPaths.roll(stored.database(), 1, UTC);
            ZoneId tokyo = ZoneId.of("Asia/Tokyo");
            execute(stored.database(), "UPDATE sites SET timezone = 'Asia/Tokyo' WHERE id = 1");
            assertFalse(StatsPaths.fromRollups(stored.database(), new RollupAnswers(rollups, 0), WEEK, tokyo),
                    "rolled in another zone: answered from the hits");

            rollups.rollPending();
            assertSameAnswers(stored.database(), rollups, tokyo);
        }
    }

    @Test
    void aRebuildRollsEveryDayAgain() {
        try (StoredHits stored = StoredHits.open()) {
            stored.add(week(0));
            Rollups rollups = StatsPaths.roll(stored.database(), 1, UTC);
            execute(stored.database(), "DELETE FROM rollup_values");
            assertEquals(7, rollups.rebuild(1));
            rollups.rollPending();
            assertSameAnswers(stored.database(), rollups, UTC);
        }
    }

    @Test
    void theCacheIsReleasedAfterABulkOfDaysOnlyAndOnce() {
        try (StoredHits stored = StoredHits.open()) {
            Rollups rollups = new Rollups(stored.database(), Duration.ZERO);
            assertFalse(rollups.releaseCacheAfterBulk(20), "still rolling");
            assertFalse(rollups.releaseCacheAfterBulk(Rollups.BULK_DAYS - 20), "still rolling");
            assertTrue(rollups.releaseCacheAfterBulk(0), "the first round with nothing to roll after a bulk");
            assertFalse(rollups.releaseCacheAfterBulk(0), "once");
            // a live site: today rolled every few minutes, a day at a time, never adds up to a bulk
            for (int round = 0; round < 3 * Rollups.BULK_DAYS; round++) {
                assertFalse(rollups.releaseCacheAfterBulk(round % 2));
            }
        }
    }

    @Test
    void theRoundsRollACurrentDayThatKeepsGettingHitsAtMostEveryFewMinutes() {
        try (StoredHits stored = StoredHits.open()) {
            // noon on the week's last day, June 7th (UTC)
            MovableClock clock = new MovableClock(Instant.parse("2026-06-07T12:00:00Z"));
            StatsPaths.roll(stored.database(), 1, UTC);  // the site, before any hit
            Rollups rollups = new Rollups(stored.database(), Duration.ZERO, clock);
            rollups.catchUp();
            stored.add(week(0));
            assertEquals(7, rollups.rollDue(), "June 1st to 7th: the current day is rolled with the days before it");

            stored.add(hitAt("2026-06-07T12:00:30Z"));
            clock.move(Duration.ofMinutes(1));
            assertEquals(0, rollups.rollDue(), "the current day alone, rolled a minute ago: left for a later round");
            assertEquals(java.util.Set.of(java.time.LocalDate.parse("2026-06-07")), rollups.pendingDays(1, UTC));

            clock.move(Rollups.CURRENT_DAY_INTERVAL);
            assertEquals(1, rollups.rollDue(), "rolled again once the interval has passed");
            assertSameAnswers(stored.database(), rollups, UTC);

            stored.add(hitAt("2026-06-07T12:06:30Z"));
            clock.move(Duration.ofMinutes(1));
            assertEquals(0, rollups.rollDue());
            stored.add(hitAt("2026-06-05T10:00:00Z"));
            assertTrue(rollups.rollDue() >= 2, "a hit on another day: that day and the current one are rolled at once");
            assertTrue(rollups.pendingDays(1, UTC).isEmpty());
            assertSameAnswers(stored.database(), rollups, UTC);

            stored.add(hitAt("2026-06-07T23:50:00Z"));
            clock.move(Duration.ofHours(12));
            assertEquals(1, rollups.rollDue(), "June 7th has ended: rolled at once");

            stored.add(hitAt("2026-06-08T00:07:30Z"));
            assertEquals(1, rollups.rollDue(), "the new current day's first roll is due at once");
            stored.add(hitAt("2026-06-08T00:08:00Z"));
            clock.move(Duration.ofMinutes(1));
            assertEquals(0, rollups.rollDue());
            assertEquals(1, rollups.rollPending(), "rollPending (the CLI step) rolls the current day whenever asked");
            assertTrue(rollups.pendingDays(1, UTC).isEmpty());
        }
    }

    /** One pageview of a new visitor at {@code instant}. */
    private static Hit hitAt(String instant) {
        Hit.Builder hit = Hit.builder();
        hit.timestampMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant));
        hit.siteId = 1;
        hit.hostname = "upkeep.example";
        hit.path = "/late";
        hit.visitorId = 9_900_000 + Math.floorDiv(hit.timestampMicros, 86_400_000_000L);
        hit.sessionKey = "late-" + instant;
        return hit.build();
    }

    /** A clock that stands still until a test moves it. */
    private static final class MovableClock extends java.time.Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return UTC;
        }

        @Override
        public java.time.Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private static void assertSameAnswers(Database database, Rollups rollups, ZoneId zone) {
        JsonNode raw = new Stats(database).answer(WEEK, zone);
        RollupAnswers answers = new RollupAnswers(rollups, 0);
        assertTrue(StatsPaths.fromRollups(database, answers, WEEK, zone), "answered from the rollups");
        JsonNode rolled = new Stats(database, Optional.of(answers)).answer(WEEK, zone);
        for (String field : List.of("pageviews", "visitors", "sessions", "bounce_rate", "avg_session_duration")) {
            assertEquals(raw.get("summary").get(field), rolled.get("summary").get(field), field);
        }
        assertEquals(raw.get("chart"), rolled.get("chart"));
        assertEquals(pages(raw), pages(rolled));
    }

    private static List<String> pages(JsonNode answer) {
        List<String> pages = new ArrayList<>();
        answer.get("pages").forEach(row -> pages.add(row.get("value").asText() + " " + row.get("pageviews") + "/" + row.get("visitors")));
        return pages;
    }

    /** Forty visitors a day for a week from June 1st (UTC), three pages each, some late in the evening. */
    private static Hit[] week(int offsetDays) {
        List<Hit> hits = new ArrayList<>();
        Instant start = Instant.parse("2026-06-01T00:00:00Z").plus(offsetDays, ChronoUnit.DAYS);
        for (int day = 0; day < 7; day++) {
            for (int visitor = 0; visitor < 40; visitor++) {
                for (int page = 0; page < 3; page++) {
                    Hit.Builder hit = Hit.builder();
                    hit.timestampMicros = ChronoUnit.MICROS.between(Instant.EPOCH,
                            start.plus(day, ChronoUnit.DAYS).plusSeconds(visitor * 2100L + page * 90L));
                    hit.siteId = 1;
                    hit.hostname = "upkeep.example";
                    hit.path = "/" + (visitor + page) % 5;
                    // salted per UTC day, as the gateways do
                    hit.visitorId = (1 + visitor + day % 3) * 100_000 + Math.floorDiv(hit.timestampMicros, 86_400_000_000L);
                    hit.sessionKey = "s" + day + "-" + visitor;
                    hits.add(hit.build());
                }
            }
        }
        return hits.toArray(Hit[]::new);
    }

    private static void execute(Database database, String sql) {
        database.write("change the data by hand", connection -> {
            try (Statement statement = connection.connection().createStatement()) {
                return statement.executeUpdate(sql);
            }
        });
    }

    @Test
    void theRollerRestsLongerWhenADayTakesLongToRoll() {
        java.time.Duration five = java.time.Duration.ofSeconds(5);
        assertEquals(five, Rollups.pauseAfter(five, java.time.Duration.ofMillis(200), 1), "a quick round: the interval");
        assertEquals(java.time.Duration.ofSeconds(18), Rollups.pauseAfter(five, java.time.Duration.ofSeconds(2), 1),
                "a day that took 2 s: nine times that, so rolling takes a tenth of the time");
        assertEquals(five, Rollups.pauseAfter(five, java.time.Duration.ofSeconds(200), 366), "a catch-up of many quick days");
        assertEquals(java.time.Duration.ofMinutes(1), Rollups.pauseAfter(five, java.time.Duration.ofSeconds(30), 1), "at most a minute");
        assertEquals(java.time.Duration.ofSeconds(18), Rollups.pauseAfter(five, java.time.Duration.ofMillis(200), 1,
                java.time.Duration.ofSeconds(2)), "filters' days that took 2 s: nine times that too");
        assertEquals(java.time.Duration.ofMinutes(1), Rollups.pauseAfter(five, java.time.Duration.ofMillis(200), 1,
                java.time.Duration.ofSeconds(20)), "at most a minute");
    }
}
