package io.hitkeep.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.Hit;
import io.hitkeep.core.Json;
import io.hitkeep.writer.StoredHits;
import org.junit.jupiter.api.Test;

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
 * days rolled and days not rolled yet, on visits that cross local midnights and send engagement pings.
 */
class FilteredStatsTest {
    private static final Instant START = Instant.parse("2026-03-20T00:00:00Z");
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
            stored.add(hits(new Random(21), 0, 12).toArray(Hit[]::new));
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

    /**
     * Visits between {@code fromDay} and {@code toDay} days after {@link #START}: a quarter start in the last hour
     * before a midnight, some send engagement pings, a third carry a tracker session, some sign up (an event with a
     * plan) and some come from another hostname.
     */
    private static List<Hit> hits(Random random, int fromDay, int toDay) {
        String[] pages = {"/", "/pricing", "/docs", "/blog", "/about", "/signup"};
        String[] countries = {"DE", "FR", "US", "NP"};
        String[] referrers = {"", "", "google.com", "news.ycombinator.com"};
        List<Hit> hits = new ArrayList<>();
        for (int visit = 0; visit < 400; visit++) {
            long visitor = 1 + random.nextInt(150);
            int day = fromDay + random.nextInt(toDay - fromDay);
            long minute = random.nextInt(4) == 0 ? day * 1440L + 1380 + random.nextInt(75) - 360 + random.nextInt(3) * 60
                    : day * 1440L + random.nextInt(1440);
            String session = random.nextInt(3) == 0 ? "tab-" + visitor + "-" + (visit % 7) : "";
            int views = 1 + (random.nextInt(3) == 0 ? 0 : random.nextInt(5));
            for (int view = 0; view < views; view++) {
                Hit.Builder hit = Hit.builder();
                hit.timestampMicros = ChronoUnit.MICROS.between(Instant.EPOCH, START.plusSeconds(60 * minute + random.nextInt(60)));
                hit.siteId = 1;
                hit.hostname = visitor % 5 == 0 ? "docs.filtered.example" : "filtered.example";
                hit.path = pages[random.nextInt(pages.length)];
                hit.referrerHost = view == 0 ? referrers[random.nextInt(referrers.length)] : "";
                hit.country = countries[(int) (visitor % countries.length)];
                hit.browser = visitor % 2 == 0 ? "Firefox" : "Chrome";
                hit.browserVersion = "12" + visitor % 3;
                // salted per UTC day, as the gateways do
                hit.visitorId = visitor * 100_000 + Math.floorDiv(hit.timestampMicros, 86_400_000_000L);
                hit.sessionKey = session;
                Hit pageview = hit.build();
                hits.add(pageview);
                if (random.nextInt(4) == 0) {
                    Hit.Builder ping = pageview.asEngagement(30_000).toBuilder();
                    ping.timestampMicros += ChronoUnit.MICROS.between(Instant.EPOCH, Instant.EPOCH.plusSeconds(random.nextInt(2) == 0 ? 40 : 3600));
                    hits.add(ping.build());
                }
                if (random.nextInt(6) == 0) {
                    Hit.Builder event = pageview.toBuilder();
                    event.timestampMicros += 1_000_000;
                    event.eventName = "Signup";
                    event.propsJson = random.nextBoolean() ? "{\"plan\":\"pro\"}" : "{\"plan\":\"free\"}";
                    hits.add(event.build());
                }
                minute += 1 + random.nextInt(12);
            }
        }
        hits.sort(java.util.Comparator.comparingLong(Hit::timestampMicros));
        return hits;
    }
}
