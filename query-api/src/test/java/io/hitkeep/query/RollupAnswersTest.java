package io.hitkeep.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Hit;
import io.hitkeep.writer.StoredHits;
import org.junit.jupiter.api.Test;

import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rollups answer every range as the raw hits do: pageviews, sessions, bounce rate, durations, the chart
 * and every list's pageviews and visitors exactly (entry and exit pages' too), on {@link SeededVisits}' site
 * (visitor ids salted per UTC day, sessions across local midnights, engagement pings, tabs resumed days later);
 * in a zone with whole-hour offsets and DST, and in one a quarter hour off; with days rolled and days not rolled
 * yet in the same range.
 */
class RollupAnswersTest {

    @Test
    void everyRangeAnswersAsTheRawHitsInAZoneWithDst() {
        sameAnswers(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void everyRangeAnswersAsTheRawHitsInAQuarterHourZone() {
        sameAnswers(ZoneId.of("Asia/Kathmandu"));
    }

    private static void sameAnswers(ZoneId zone) {
        try (StoredHits stored = StoredHits.open()) {
            stored.add(hits(new Random(13), 0, 12).toArray(Hit[]::new));
            Stats raw = new Stats(stored.database());
            Rollups rollups = StatsPaths.roll(stored.database(), 1, zone);
            Stats rolled = new Stats(stored.database(), java.util.Optional.of(new RollupAnswers(rollups, 0)));
            assertTrue(rollups.pendingDays(1, zone).isEmpty(), "everything rolled");
            compareRanges(request -> raw.answer(request, zone), request -> rolled.answer(request, zone), zone);

            // hits of two more days, and late ones into a rolled day: not rolled yet, so those days are read raw
            stored.add(hits(new Random(14), 11, 14).toArray(Hit[]::new));
            assertFalse(rollups.pendingDays(1, zone).isEmpty());
            compareRanges(request -> raw.answer(request, zone), request -> rolled.answer(request, zone), zone);

            rollups.rollPending();
            assertTrue(rollups.pendingDays(1, zone).isEmpty());
            compareRanges(request -> raw.answer(request, zone), request -> rolled.answer(request, zone), zone);
        }
    }

    /**
     * With an import covering some of the days, both paths add the same imported figures (as the store's
     * stats operation does, after the answer): the rollups do not count an imported day twice or leave it out.
     */
    @Test
    void importedDaysAreAddedToTheRollupsAsToTheRawHits() {
        ZoneId zone = ZoneId.of("Europe/Berlin");
        try (StoredHits stored = StoredHits.open()) {
            stored.add(hits(new Random(15), 0, 12).toArray(Hit[]::new));
            Stats raw = new Stats(stored.database());
            Stats rolled = StatsPaths.rolled(stored.database(), 1, zone);
            stored.database().write("an import of four days", sql -> {
                try (Statement statement = sql.connection().createStatement()) {
                    statement.execute("INSERT INTO imports (id, site_id, source, status, from_day, to_day, pageviews, created_by)"
                            + " VALUES (1, 1, 'plausible', 'done', DATE '2026-03-22', DATE '2026-03-25', 400, 1)");
                    statement.execute("INSERT INTO imported_days SELECT 1, DATE '2026-03-22' + CAST(i AS INTEGER), 20 + i, 100, 30, 10 + i, 900"
                            + " FROM range(4) t(i)");
                    statement.execute("INSERT INTO imported_lists SELECT 1, DATE '2026-03-22' + CAST(i AS INTEGER), list, value, 5, 25 FROM range(4) t(i),"
                            + " (VALUES ('pages', '/pricing'), ('pages', '/imported-only'), ('countries', 'DE'), ('sources', 'google.com'))"
                            + " v(list, value)");
                }
                return null;
            });
            ImportedStats imported = new ImportedStats(stored.database());
            compareRanges(request -> imported.addTo(raw.answer(request, zone), request),
                    request -> imported.addTo(rolled.answer(request, zone), request), zone);

            StatsRequest covering = new StatsRequest(1, "2026-03-19", "2026-04-04", List.of(), 20, List.of("summary", "lists"));
            JsonNode without = rolled.answer(covering, zone);
            JsonNode with = imported.addTo(rolled.answer(covering, zone), covering);
            assertEquals(without.get("summary").get("pageviews").asLong() + 400, with.get("summary").get("pageviews").asLong(),
                    "the import's pageviews are in the rolled answer");
            assertTrue(with.get("summary").get("imported").asBoolean());
            assertTrue(with.get("pages").findValuesAsText("value").contains("/imported-only"));
        }
    }

    /**
     * While more than a few of a range's days wait to be rolled (a start catching up, a rebuild), the raw hits
     * answer it, unless it holds more hits than the limit: that is a quick 503 (not half a minute of raw
     * scan beside the roller); a short range answers meanwhile, and the long one once its days are rolled.
     */
    @Test
    void aLargeRangeStillBeingRolledIsRefusedForNowAndASmallOneAnswersRaw() {
        ZoneId zone = ZoneId.of("UTC");
        try (StoredHits stored = StoredHits.open()) {
            stored.add(hits(new Random(16), 0, 8).toArray(Hit[]::new));
            Rollups rollups = StatsPaths.roll(stored.database(), 1, zone);
            // eight more days, not rolled: more than RollupAnswers.MAX_FRESH_DAYS
            stored.add(hits(new Random(17), 8, 16).toArray(Hit[]::new));
            long fiveDaysOfHits = countHits(stored, "2026-03-28", "2026-04-01");
            Stats raw = new Stats(stored.database());
            Stats guarded = new Stats(stored.database(), java.util.Optional.of(new RollupAnswers(rollups, 0, fiveDaysOfHits)));
            StatsRequest everyDay = new StatsRequest(1, "2026-03-20", "2026-04-04", List.of(), 20, List.of("summary", "chart", "lists"));
            StatsRequest fiveDays = new StatsRequest(1, "2026-03-28", "2026-04-01", List.of(), 20, List.of("summary", "chart", "lists"));

            DomainError refused = assertThrows(DomainError.class, () -> guarded.answer(everyDay, zone));
            assertEquals(DomainError.Kind.UNAVAILABLE, refused.kind());
            assertTrue(refused.getMessage().contains("rolled up"), refused.getMessage());
            assertEquals(60, refused.retryAfterSeconds(), "the message says a minute; so does Retry-After");
            assertEquals(withoutLive(raw.answer(fiveDays, zone)), withoutLive(guarded.answer(fiveDays, zone)),
                    "a range within the limit answers from the raw hits meanwhile (exact: no approximate visitors)");

            rollups.rollPending();
            assertEquals(raw.answer(everyDay, zone).get("summary").get("pageviews"),
                    guarded.answer(everyDay, zone).get("summary").get("pageviews"), "rolled: the long range answers");
        }
    }

    /**
     * A tab resumed days later changes the exit link of the day its session had stopped on, which is rolled again.
     * The day after it is rolled again with it: the visitor it shares with that day (the same id, the same exit
     * page, in a session of another tab after local midnight) is subtracted under the links of both days.
     */
    @Test
    void aTabResumedDaysLaterLeavesTheDayAfterItsOldEndExact() {
        ZoneId zone = ZoneId.of("Europe/Berlin");
        try (StoredHits stored = StoredHits.open()) {
            // 22:30 and 23:30 UTC on March 20 are 23:30 on the 20th and 00:30 on the 21st in Berlin: one UTC day, one id
            stored.add(pageview(7, "tab-a", "2026-03-20T22:30:00Z", "/docs"), pageview(7, "tab-b", "2026-03-20T23:30:00Z", "/docs"));
            Rollups rollups = StatsPaths.roll(stored.database(), 1, zone);
            stored.add(pageview(7, "tab-a", "2026-03-23T10:00:00Z", "/pricing"));
            Stats raw = new Stats(stored.database());
            Stats rolled = new Stats(stored.database(), java.util.Optional.of(new RollupAnswers(rollups, 0)));
            for (String when : List.of("the 23rd read fresh", "the 23rd rolled")) {
                if (when.equals("the 23rd rolled")) {
                    rollups.rollPending();
                    assertTrue(rollups.pendingDays(1, zone).isEmpty());
                }
                for (String[] range : new String[][] {{"2026-03-20", "2026-03-21"}, {"2026-03-20", "2026-03-22"},
                        {"2026-03-20", "2026-03-23"}, {"2026-03-21", "2026-03-23"}}) {
                    StatsRequest request = new StatsRequest(1, range[0], range[1], List.of(), 20, List.of("lists"));
                    for (String list : List.of("entry_pages", "exit_pages")) {
                        assertEquals(raw.answer(request, zone).get(list), rolled.answer(request, zone).get(list),
                                when + ", " + range[0] + ".." + range[1] + " " + list);
                    }
                }
            }
            StatsRequest resumed = new StatsRequest(1, "2026-03-20", "2026-03-23", List.of(), 20, List.of("lists"));
            assertEquals("/docs", rolled.answer(resumed, zone).get("exit_pages").get(0).get("value").asText(),
                    "the other tab still leaves on /docs; the resumed one leaves on /pricing");
        }
    }

    /**
     * A session rolled as one pageview before midnight that gets its second pageview after it: until the roller
     * rolls that hit, the day before is read fresh with the new day (its rolled piece still says the session ended
     * there, a bounce), so the answer is the raw one; a session with nothing new keeps its rolled day.
     */
    @Test
    void aSessionRolledBeforeMidnightThatGoesOnAfterItIsReadWithTheDayBefore() {
        ZoneId zone = ZoneId.of("UTC");
        try (StoredHits stored = StoredHits.open()) {
            stored.add(hits(new Random(31), 0, 3).toArray(Hit[]::new));
            stored.add(pageview(9, "late", "2026-03-22T23:50:00Z", "/docs"));
            Rollups rollups = StatsPaths.roll(stored.database(), 1, zone);
            // its next pageview, as the writer stores it (the tracker's session keeps its id past midnight while
            // active, the visitor id is salted for the new day) with the hour's pending mark; a writer remembers
            // such sessions, StoredHits' writer of each add does not
            long day = Math.floorDiv(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse("2026-03-22T23:50:00Z")), 86_400_000_000L);
            stored.database().write("the session's next pageview", sql -> {
                try (Statement statement = sql.connection().createStatement()) {
                    statement.execute("INSERT INTO hits SELECT * REPLACE (TIMESTAMP '2026-03-23 00:10:00' AS timestamp, '/pricing' AS path,"
                            + " visitor_id + 1 AS visitor_id) FROM hits WHERE visitor_id = " + (9 * 100_000 + day));
                    return statement.executeUpdate("INSERT INTO rollup_pending VALUES (1, TIMESTAMP '2026-03-23 00:00:00')");
                }
            });
            Stats raw = new Stats(stored.database());
            RollupAnswers answers = new RollupAnswers(rollups, 0);
            Stats rolled = new Stats(stored.database(), java.util.Optional.of(answers));
            StatsRequest both = new StatsRequest(1, "2026-03-20", "2026-03-23", List.of(), 20, List.of("summary", "lists"));
            assertTrue(StatsPaths.fromRollups(stored.database(), answers, both, zone), "the new hit's day is read fresh");
            JsonNode expected = raw.answer(both, zone);
            JsonNode actual = rolled.answer(both, zone);
            for (String field : List.of("pageviews", "visitors", "sessions", "bounce_rate", "avg_session_duration")) {
                assertEquals(expected.get("summary").get(field), actual.get("summary").get(field), field);
            }
            assertEquals(expected.get("entry_pages"), actual.get("entry_pages"));
            assertEquals(expected.get("exit_pages"), actual.get("exit_pages"));
        }
    }

    private static Hit pageview(long visitor, String session, String at, String path) {
        Hit.Builder hit = Hit.builder();
        hit.timestampMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(at));
        hit.siteId = 1;
        hit.hostname = "rollups.example";
        hit.path = path;
        hit.visitorId = visitor * 100_000 + Math.floorDiv(hit.timestampMicros, 86_400_000_000L);
        hit.sessionKey = session;
        return hit.build();
    }

    private static long countHits(StoredHits stored, String first, String last) {
        return stored.database().read(sql -> {
            try (Statement statement = sql.connection().createStatement();
                 java.sql.ResultSet row = statement.executeQuery(
                         "SELECT count(*) FROM hits WHERE CAST(timestamp AS DATE) BETWEEN DATE '" + first + "' AND DATE '" + last + "'")) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    /** The answer without the live visitors, which count the last minutes before now, not the range. */
    private static JsonNode withoutLive(JsonNode answer) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) answer.get("summary")).remove("live_visitors");
        return answer;
    }

    private static void compareRanges(Function<StatsRequest, JsonNode> raw,
                                      Function<StatsRequest, JsonNode> rolled, ZoneId zone) {
        compareRanges(raw, rolled, zone, List.of());
    }

    /** Ranges of {@link SeededVisits}' days (with {@code filters}): the rolled answer is the raw one, exactly. */
    static void compareRanges(Function<StatsRequest, JsonNode> raw,
                              Function<StatsRequest, JsonNode> rolled, ZoneId zone, List<StatsRequest.Filter> filters) {
        LocalDate first = LocalDate.of(2026, 3, 19);
        for (int[] range : new int[][] {{0, 16}, {1, 1}, {2, 3}, {3, 9}, {5, 12}, {12, 16}, {13, 14}}) {
            StatsRequest request = new StatsRequest(1, first.plusDays(range[0]).toString(), first.plusDays(range[1]).toString(),
                    filters, 20, List.of("summary", "chart", "lists"));
            JsonNode expected = raw.apply(request);
            JsonNode actual = rolled.apply(request);
            assertEquals(expected.get("summary").get("imported"), actual.get("summary").get("imported"), zone + " imported");
            String what = zone + " " + filters + " " + request.from() + ".." + request.to();
            for (String field : List.of("pageviews", "sessions", "bounce_rate", "pages_per_session")) {
                assertEquals(expected.get("summary").get(field), actual.get("summary").get(field), what + " " + field);
            }
            assertEquals(expected.get("summary").get("avg_session_duration").asDouble(),
                    actual.get("summary").get("avg_session_duration").asDouble(), 0.1, what + " duration");
            assertEquals(expected.get("summary").get("visitors"), actual.get("summary").get("visitors"), what + " visitors");
            assertFalse(actual.get("summary").has("approximate"), what + " exact visitors");
            assertEquals(expected.get("chart"), actual.get("chart"), what + " chart (exact visitors per day)");
            for (Dimension dimension : Dimension.lists()) {
                String list = dimension.listName().orElseThrow();
                assertEquals(counts(expected.get(list)), counts(actual.get(list)), what + " " + list);
                Map<String, Long> visitors = visitors(actual.get(list));
                expected.get(list).forEach(row -> assertEquals(row.get("visitors").asLong(), visitors.get(row.get("value").asText()),
                        what + " " + list + " " + row.get("value").asText() + " visitors"));
                assertFalse(actual.get(list).toString().contains("approximate"), what + " " + list + " exact");
            }
        }
    }

    /** Each list as value and pageviews, in order: the rollups must rank exactly as the raw hits. */
    private static List<String> counts(JsonNode list) {
        List<String> rows = new ArrayList<>();
        list.forEach(row -> rows.add(row.get("value").asText() + " " + row.get("pageviews").asLong()));
        return rows;
    }

    private static Map<String, Long> visitors(JsonNode list) {
        Map<String, Long> visitors = new HashMap<>();
        list.forEach(row -> visitors.put(row.get("value").asText(), row.get("visitors").asLong()));
        return visitors;
    }

    /**
     * A site that sends no events answers with empty events without asking for them (their statements cost a few
     * milliseconds even over no rows); its first event, on a day not rolled yet, and a later one on a rolled day
     * (events are never rolled up) are in the next answer, as the raw path counts them, in the lists, the
     * properties and an event goal; a range around neither stays empty.
     */
    @Test
    void aSiteGetsItsFirstEventsOnAFreshDayAndOnARolledDay() {
        ZoneId zone = ZoneId.of("Europe/Berlin");
        try (StoredHits stored = StoredHits.open()) {
            stored.add(hits(new Random(18), 0, 12).toArray(Hit[]::new));
            Stats raw = new Stats(stored.database());
            Rollups rollups = StatsPaths.roll(stored.database(), 1, zone);
            RollupAnswers answers = new RollupAnswers(rollups, 0);
            Stats rolled = new Stats(stored.database(), java.util.Optional.of(answers));
            stored.database().write("an event goal", sql -> {
                try (Statement statement = sql.connection().createStatement()) {
                    return statement.executeUpdate("INSERT INTO goals (site_id, name, type, path, event, property_key, property_value,"
                            + " created_by) VALUES (1, 'Signup', 'event', '', 'Signup', '', '', 1)");
                }
            });
            StatsRequest everything = new StatsRequest(1, "2026-03-20", "2026-04-02", List.of(), 20,
                    List.of("summary", "chart", "lists", "events", "goals"));
            StatsRequest firstDays = new StatsRequest(1, "2026-03-20", "2026-03-22", List.of(), 20,
                    List.of("summary", "events", "goals"));

            JsonNode none = sameEvents(raw, rolled, everything, zone);
            assertEquals(0, none.get("events").size());
            assertEquals(0, none.get("event_props").size());
            assertEquals("Signup 0/0", goal(none));

            // the first event, with a pageview: its day (April 2nd) waits to be rolled, and the rollups answer the range
            stored.add(StatsFixtures.pageview(1, 7, "", "2026-04-02T09:00:00Z", "/pricing"),
                    StatsFixtures.event(1, 7, "", "2026-04-02T09:01:00Z", "Signup", "{\"plan\":\"pro\"}"));
            assertEquals(java.util.Set.of(LocalDate.of(2026, 4, 2)), rollups.pendingDays(1, zone));
            assertTrue(StatsPaths.fromRollups(stored.database(), answers, everything, zone));
            JsonNode fresh = sameEvents(raw, rolled, everything, zone);
            assertEquals("Signup 1 1", event(fresh.get("events").get(0)));
            assertEquals("Signup plan pro 1", fresh.get("event_props").get(0).get("event").asText() + " "
                    + fresh.get("event_props").get(0).get("key").asText() + " " + fresh.get("event_props").get(0).get("value").asText()
                    + " " + fresh.get("event_props").get(0).get("count").asLong());
            assertEquals("Signup 1/1", goal(fresh));

            // another, late, into a rolled day: nothing is pending for it, and it counts at once
            rollups.rollPending();
            stored.add(StatsFixtures.event(1, 8, "", "2026-03-24T12:00:00Z", "Signup", "{\"plan\":\"free\"}"));
            assertTrue(rollups.pendingDays(1, zone).isEmpty());
            JsonNode late = sameEvents(raw, rolled, everything, zone);
            assertEquals("Signup 2 2", event(late.get("events").get(0)));
            assertEquals(2, late.get("event_props").size());
            assertEquals("Signup 2/2", goal(late));

            JsonNode before = sameEvents(raw, rolled, firstDays, zone);
            assertEquals(0, before.get("events").size());
            assertEquals("Signup 0/0", goal(before));
        }
    }

    /** Both paths' answer, whose events, properties and goals must be equal. */
    private static JsonNode sameEvents(Stats raw, Stats rolled, StatsRequest request, ZoneId zone) {
        JsonNode expected = raw.answer(request, zone);
        JsonNode actual = rolled.answer(request, zone);
        for (String part : List.of("events", "event_props", "goals")) {
            assertEquals(expected.get(part), actual.get(part), part + " of " + request.from() + ".." + request.to());
        }
        return actual;
    }

    private static String event(JsonNode row) {
        return row.get("value").asText() + " " + row.get("count").asLong() + " " + row.get("visitors").asLong();
    }

    /** The only goal as name, visitors / conversions. */
    private static String goal(JsonNode answer) {
        JsonNode goal = answer.get("goals").get(0);
        return goal.get("name").asText() + " " + goal.get("visitors").asLong() + "/" + goal.get("conversions").asLong();
    }

    static List<Hit> hits(Random random, int fromDay, int toDay) {
        return SeededVisits.of(random, fromDay, toDay, "rollups.example", false);
    }
}
