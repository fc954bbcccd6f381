package io.hitkeep.writer;

import io.hitkeep.core.CompactIds;
import io.hitkeep.core.Hit;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class SessionsTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 14);
    private static final long MINUTE = TimeUnit.MINUTES.toMicros(1);

    private final Sessions sessions = new Sessions();

    private static long at(LocalDate day, int hour, int minute) {
        return LocalDateTime.of(day, java.time.LocalTime.of(hour, minute)).toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
    }

    private static Hit hit(int site, long visitor, String sessionKey, long micros) {
        Hit.Builder hit = HitWriterTest.pageview(site, "/", visitor, micros).toBuilder();
        hit.sessionKey = sessionKey;
        return hit.build();
    }

    @Test
    void aTrackersSessionIsItsKeyOnItsDayWithTheDayInTheHighBits() {
        long first = sessions.sessionOf(hit(1, 7, "4711", at(DAY, 10, 0)));

        assertEquals(DAY.toEpochDay(), first >>> CompactIds.HASH_BITS);
        assertEquals(first, sessions.sessionOf(hit(1, 8, "4711", at(DAY, 10, 5))), "the key decides, not the visitor");
        assertEquals(first, new Sessions().sessionOf(hit(1, 7, "4711", at(DAY, 18, 0))),
                "the same key on the same day, in another writer (after a restart): the same id");
        assertNotEquals(first, sessions.sessionOf(hit(1, 7, "4712", at(DAY, 10, 0))), "another key");
        assertNotEquals(first, sessions.sessionOf(hit(2, 7, "4711", at(DAY, 10, 0))), "another site");
    }

    @Test
    void aTrackersSessionActivePastMidnightKeepsTheIdOfTheDayItStarted() {
        long evening = sessions.sessionOf(hit(1, 7, "4711", at(DAY, 23, 50)));
        long afterMidnight = sessions.sessionOf(hit(1, 9, "4711", at(DAY.plusDays(1), 0, 15)));
        long later = sessions.sessionOf(hit(1, 9, "4711", at(DAY.plusDays(1), 0, 40)));

        assertEquals(evening, afterMidnight, "25 minutes after its last hit: the same session");
        assertEquals(evening, later, "and on, while it stays active");
    }

    @Test
    void aLongTrackersSessionIsRememberedFromItsLastHalfHourBeforeMidnight() {
        long started = sessions.sessionOf(hit(1, 7, "4711", at(DAY, 22, 0)));
        sessions.sessionOf(hit(1, 7, "4711", at(DAY, 22, 40)));
        sessions.sessionOf(hit(1, 7, "4711", at(DAY, 23, 5)));
        sessions.sessionOf(hit(1, 7, "4711", at(DAY, 23, 34)));

        assertEquals(started, sessions.sessionOf(hit(1, 9, "4711", at(DAY.plusDays(1), 0, 2))));
    }

    @Test
    void aTrackersSessionFarFromMidnightLeavesNothingToRemember() {
        for (int minute = 0; minute < 60; minute++) {
            sessions.sessionOf(hit(1, minute, "key-" + minute, at(DAY, 12, minute)));
        }

        assertEquals(0, sessions.remembered(), "a tracker's id is its key's hash: nothing to keep by day");
        sessions.sessionOf(hit(1, 7, "late", at(DAY, 23, 45)));
        assertEquals(1, sessions.remembered());
    }

    @Test
    void aTrackersSessionIdlePastMidnightStartsAnewOnTheNewDay() {
        long evening = sessions.sessionOf(hit(1, 7, "4711", at(DAY, 23, 20)));
        long afterMidnight = sessions.sessionOf(hit(1, 9, "4711", at(DAY.plusDays(1), 0, 1)));

        assertNotEquals(evening, afterMidnight, "41 minutes without a hit");
        assertEquals(DAY.plusDays(1).toEpochDay(), afterMidnight >>> CompactIds.HASH_BITS);
    }

    @Test
    void aRestartedWriterContinuesTheSessionsOfTheLastHalfHour() {
        long now = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
        try (StoredHits stored = StoredHits.open()) {
            // each add is a writer of its own: a new Sessions that resumes from the stored hits
            stored.add(hit(1, 7, "", now - 20 * MINUTE), hit(1, 8, "", now - 25 * MINUTE), hit(1, 8, "", now - 10 * MINUTE));
            stored.add(hit(1, 7, "", now - 5 * MINUTE), hit(1, 8, "", now - 4 * MINUTE));

            assertEquals(2, HitWriterTest.count(stored.database(), "SELECT count(DISTINCT session_id) FROM hits"),
                    "each visitor's hits after the restart in the session it had before");
            assertEquals(1, HitWriterTest.count(stored.database(),
                    "SELECT count(DISTINCT session_id) FROM hits WHERE visitor_id = 8"));
        }
    }

    @Test
    void aVisitorsOwnSessionEndsAfterThirtyIdleMinutes() {
        long start = at(DAY, 9, 0);
        long first = sessions.sessionOf(hit(1, 7, "", start));

        assertEquals(DAY.toEpochDay(), first >>> CompactIds.HASH_BITS);
        assertEquals(first, sessions.sessionOf(hit(1, 7, "", start + 29 * MINUTE)));
        assertEquals(first, sessions.sessionOf(hit(1, 7, "", start + 58 * MINUTE)), "30 minutes counted from the last hit");
        assertNotEquals(first, sessions.sessionOf(hit(1, 8, "", start + 58 * MINUTE)), "another visitor");
        long next = sessions.sessionOf(hit(1, 7, "", start + 89 * MINUTE));
        assertNotEquals(first, next, "31 minutes idle: a new session");
        assertEquals(DAY.toEpochDay(), next >>> CompactIds.HASH_BITS);
    }
}
