package io.hitkeep.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.Hit;
import io.hitkeep.core.Json;
import io.hitkeep.writer.StoredHits;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A filtered request answers as the raw hits do: the whole answer at once (the rollups' pageviews, visitors
 * and chart for a filter on one top list's value) equals each part asked for alone from the raw hits. For every kind of filter: a top list's value, one only a filter (hostname), a page, a goal, an
 * event, a property, two at once, a value nobody had and an empty one; in a zone with DST and one a quarter hour off, with
 * days rolled and days not rolled yet, on visits that cross local midnights and send engagement pings, and with a
 * filtered visitor seen on a range's first day and under the same salted id on the day before (not subtracted there).
 */
class FilteredStatsTest {
    private static final List<List<String>> FILTERS = List.of(
            List.of("country:DE"), List.of("page:/pricing"), List.of("browser_version:Firefox 121"), List.of("referrer:google.com"),
            List.of("hostname:docs.filtered.example"), List.of("goal:Pricing"), List.of("goal:Signed up"), List.of("event:Signup"),
            List.of("prop:plan:pro"), List.of("country:DE", "browser:Firefox"), List.of("country:ZZ"), List.of("country:"));

    @Test
    void everyFilterAnswersAsEachPartFromTheRawHitsInAZoneWithDst() {
        sameAnswers(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void everyFilterAnswersAsEachPartFromTheRawHitsInAQuarterHourZone() {
        sameAnswers(ZoneId.of("Asia/Kathmandu"));
    }

    private static void sameAnswers(ZoneId zone) {
        try (StoredHits stored = StoredHits.open()) {
            List<Hit> first = new ArrayList<>(hits(new Random(21), 0, 12));
            first.addAll(acrossFirstMidnight());
            first.sort(java.util.Comparator.comparingLong(Hit::timestampMicros));
            stored.add(first.toArray(Hit[]::new));
            stored.database().write("two goals", sql -> {
                try (Statement statement = sql.connection().createStatement()) {
                    statement.execute("INSERT INTO goals (site_id, name, type, path, created_by) VALUES (1, 'Pricing', 'pageview', '/pricing', 1)");
                    statement.execute("INSERT INTO goals (site_id, name, type, event, created_by) VALUES (1, 'Signed up', 'event', 'Signup', 1)");
                }
                return null;
            });
            Stats raw = new Stats(stored.database());
            Rollups rollups = StatsPaths.roll(stored.database(), 1, zone);
            RollupAnswers answers = new RollupAnswers(rollups, 0);
            Stats fast = new Stats(stored.database(), Optional.of(answers));
            assertTrue(readsRollups(stored, answers, List.of("country:DE"), zone), "a top list's value is read from the rollups");
            assertFalse(readsRollups(stored, answers, List.of("hostname:docs.filtered.example"), zone), "a dimension without a list is not");
            assertFalse(readsRollups(stored, answers, List.of("country:DE", "browser:Firefox"), zone), "nor two filters");
            assertTrue(sharedOnFirstDay(stored), "a compared range's first day shares a filtered visitor with the day before");
            compareRanges(raw, fast, zone);

            // two more days, and late hits into rolled days: read fresh by the rollups' plan
            stored.add(hits(new Random(22), 11, 14).toArray(Hit[]::new));
            compareRanges(raw, fast, zone);
        }
    }

    private static boolean readsRollups(StoredHits stored, RollupAnswers answers, List<String> filters, ZoneId zone) {
        StatsRequest request = StatsRequest.parse(1, Optional.of("2026-03-19"), Optional.of("2026-04-04"), filters, Optional.empty());
        return stored.database().read(sql -> {
            Optional<RolledFilter> plan = RolledFilter.plan(answers, sql.connection(), request, zone);
            if (plan.isPresent()) {
                plan.get().release(sql.connection());
            }
            return plan.isPresent();
        });
    }

    private static void compareRanges(Stats raw, Stats fast, ZoneId zone) {
        LocalDate first = LocalDate.of(2026, 3, 19);
        for (int[] range : new int[][] {{0, 16}, {1, 1}, {10, 14}}) {
            for (List<String> filters : FILTERS) {
                StatsRequest request = StatsRequest.parse(1, Optional.of(first.plusDays(range[0]).toString()),
                        Optional.of(first.plusDays(range[1]).toString()), filters, Optional.of("20"));
                ObjectNode expected = Json.object();
                for (String part : StatsRequest.PARTS) {
                    StatsRequest alone = new StatsRequest(1, request.from(), request.to(), request.filters(), request.limit(), List.of(part));
                    raw.answer(alone, zone).properties().forEach(field -> expected.set(field.getKey(), field.getValue()));
                }
                JsonNode actual = fast.answer(request, zone);
                String what = zone + " " + request.from() + ".." + request.to() + " " + filters;
                // a double summed in another order may differ in its last bits, not once rounded to a tenth of a second
                assertEquals(expected.get("summary").get("avg_session_duration").asDouble(),
                        actual.get("summary").get("avg_session_duration").asDouble(), 0.1, what + " duration");
                ((ObjectNode) expected.get("summary")).remove(List.of("avg_session_duration", "live_visitors"));
                ((ObjectNode) actual.get("summary")).remove(List.of("avg_session_duration", "live_visitors"));
                assertEquals(expected, actual, what);
                if (filters.equals(List.of("country:DE")) && range[1] > range[0]) {
                    assertTrue(expected.get("summary").get("pageviews").asLong() > 0, what + ": the seed has such hits");
                }
            }
        }
    }

    /** The first day of the range {10, 14} (compareRanges). */
    private static final LocalDate SHARED_DAY = LocalDate.of(2026, 3, 29);

    /**
     * One visitor, seen on both sides of the local midnight that starts {@link #SHARED_DAY} in either zone, all within
     * the UTC day before it, so under one salted id: a visit across Kathmandu's midnight (18:15 UTC) and one across
     * Berlin's (23:00 UTC, CET: the switch to CEST is at 01:00 UTC that day). Each zone so has the visitor on the day
     * before the range and on its first day, where the rollups count it as shared; a range counts it once, and
     * subtracting the first day's shared visitors too would lose it. For every filter the rollups answer (country DE,
     * page /pricing, browser version Firefox 121, referrer google.com), and the goal Pricing and country DE with Firefox.
     */
    private static List<Hit> acrossFirstMidnight() {
        List<Hit> hits = new ArrayList<>();
        for (String time : List.of("2026-03-28T18:05:00Z", "2026-03-28T18:20:00Z", "2026-03-28T22:50:00Z", "2026-03-28T23:10:00Z")) {
            Hit.Builder hit = Hit.builder();
            hit.timestampMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(time));
            hit.siteId = 1;
            hit.hostname = "filtered.example";
            hit.path = "/pricing";
            hit.referrerHost = "google.com";
            hit.country = "DE";
            hit.browser = "Firefox";
            hit.browserVersion = "121";
            // a person beside SeededVisits' visitors 1 to 150, salted as they are
            hit.visitorId = SeededVisits.visitorId(151, hit.timestampMicros);
            hit.sessionKey = "";
            hits.add(hit.build());
        }
        return hits;
    }

    /** Whether the rollups count a visitor of country DE on {@link #SHARED_DAY} as seen the day before too. */
    private static boolean sharedOnFirstDay(StoredHits stored) {
        return stored.database().read(sql -> {
            try (PreparedStatement statement = sql.connection().prepareStatement("SELECT shared_visitors FROM rollup_values"
                    + " WHERE site_id = 1 AND day = ? AND dimension = 'countries' AND value = 'DE'")) {
                statement.setObject(1, SHARED_DAY);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() && row.getLong(1) > 0;
                }
            }
        });
    }

    private static List<Hit> hits(Random random, int fromDay, int toDay) {
        return SeededVisits.of(random, fromDay, toDay, "filtered.example", true);
    }
}
