package io.hitkeep.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Hit;
import io.hitkeep.writer.StoredHits;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The top lists, straight from the SQL on hits stored through the writer's Appender: every list of the
 * {@link Dimension} registry is in the answer in its order, entry and exit pages follow sessions, a filter
 * by any filterable dimension narrows every list, and the limit is honoured; from the raw hits and from the
 * rollups alike.
 */
class StatsListsTest {
    private static final Instant NOON = Instant.parse("2026-05-04T12:00:00Z");
    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void listsFiltersAndLimitsComeFromTheRegistry() {
        try (StoredHits stored = StoredHits.open()) {
            // visitor 1: / then /pricing then /signup (from Germany, Firefox); visitor 2: /pricing alone (France, Chrome)
            stored.add(pageview(1, 0, "/", "DE", "Firefox"), pageview(1, 1, "/pricing", "DE", "Firefox"),
                    pageview(1, 2, "/signup", "DE", "Firefox"), pageview(2, 3, "/pricing", "FR", "Chrome"));
            for (Stats stats : StatsPaths.both(stored.database(), 1, UTC)) {
                JsonNode all = stats.answer(request(List.of(), "10"), UTC);
                List<String> lists = new ArrayList<>();
                all.fieldNames().forEachRemaining(name -> {
                    if (all.get(name).isArray() && !List.of("chart", "goals").contains(name) && !name.startsWith("event")) {
                        lists.add(name);
                    }
                });
                assertEquals(Dimension.lists().stream().map(dimension -> dimension.listName().orElseThrow()).toList(), lists);
                assertEquals("/pricing 2/2", row(all.get("pages").get(0)));
                assertEquals(List.of("/ 1/1", "/pricing 1/1"), rows(all.get("entry_pages")));
                assertEquals(List.of("/pricing 1/1", "/signup 1/1"), rows(all.get("exit_pages")));
                assertEquals(List.of("DE 3/1", "FR 1/1"), rows(all.get("countries")));
                assertEquals(4, all.get("summary").get("pageviews").asLong());
                assertEquals(2, all.get("summary").get("sessions").asLong());

                JsonNode german = stats.answer(request(List.of("country:DE"), "10"), UTC);
                assertEquals(List.of("Firefox 3/1"), rows(german.get("browsers")));
                assertEquals(3, german.get("summary").get("pageviews").asLong());

                JsonNode top = stats.answer(request(List.of(), "1"), UTC);
                assertEquals(List.of("/pricing 2/2"), rows(top.get("pages")), "limit 1, bound as a parameter");
            }
        }
    }

    /**
     * Over more pageviews than the counted limit (a filtered long range of a big site), the raw lists estimate
     * their visitors and say so; the values, their order and their pageviews stay exact, the visitors close.
     */
    @Test
    void largeScopesEstimateListVisitorsAndKeepEverythingElseExact() {
        try (StoredHits stored = StoredHits.open()) {
            String[] pages = {"/", "/pricing", "/docs", "/blog", "/signup"};
            String[] countries = {"DE", "FR", "US"};
            List<Hit> hits = new ArrayList<>();
            for (int visitor = 1; visitor <= 400; visitor++) {
                for (int view = 0; view < 1 + visitor % 4; view++) {
                    hits.add(pageview(visitor, (visitor + view * 7) % 600, pages[(visitor * 3 + view) % pages.length],
                            countries[visitor % countries.length], visitor % 3 == 0 ? "Firefox" : "Chrome"));
                }
            }
            stored.add(hits.stream().sorted(java.util.Comparator.comparingLong(Hit::timestampMicros)).toArray(Hit[]::new));
            Stats counted = new Stats(stored.database());
            Stats estimated = new Stats(stored.database(), Optional.empty(), 100);
            for (List<String> filters : List.of(List.<String>of(), List.of("country:DE"))) {
                JsonNode exact = counted.answer(request(filters, "10"), UTC);
                JsonNode estimate = estimated.answer(request(filters, "10"), UTC);
                assertEquals(exact.get("summary"), estimate.get("summary"), "the summary is counted either way");
                for (Dimension dimension : Dimension.lists()) {
                    String list = dimension.listName().orElseThrow();
                    List<String> values = new ArrayList<>();
                    exact.get(list).forEach(row -> values.add(row.get("value").asText() + " " + row.get("pageviews").asLong()));
                    List<String> estimatedValues = new ArrayList<>();
                    estimate.get(list).forEach(row -> estimatedValues.add(row.get("value").asText() + " " + row.get("pageviews").asLong()));
                    assertEquals(values, estimatedValues, filters + " " + list);
                    for (int i = 0; i < exact.get(list).size(); i++) {
                        long visitors = exact.get(list).get(i).get("visitors").asLong();
                        assertEquals(visitors, estimate.get(list).get(i).get("visitors").asLong(), Math.max(2, visitors * 0.05),
                                filters + " " + list + " visitors");
                        // entry and exit pages count their visitors: there are far fewer sessions than pageviews
                        assertEquals(!List.of("entry_pages", "exit_pages").contains(list), estimate.get(list).get(i).path("approximate").asBoolean(),
                                list + " marked approximate");
                        assertTrue(exact.get(list).get(i).path("approximate").isMissingNode(), "counted rows are not marked");
                    }
                }
                assertTrue(exact.get("pages").size() > 0 && exact.get("entry_pages").size() > 0);
            }
        }
    }

    @Test
    void unknownOrListOnlyDimensionsAreRefused() {
        DomainError unknown = assertThrows(DomainError.class, () -> request(List.of("planet:mars"), "10"));
        assertEquals(DomainError.Kind.INVALID, unknown.kind());
        assertTrue(unknown.getMessage().contains("country"), unknown.getMessage());
        assertThrows(DomainError.class, () -> request(List.of("entry_page:/"), "10"), "a list, not a filter");
    }

    private static StatsRequest request(List<String> filters, String limit) {
        return StatsRequest.parse(1, Optional.of("2026-05-04"), Optional.of("2026-05-04"), filters, Optional.of(limit));
    }

    private static Hit pageview(long visitor, int minute, String path, String country, String browser) {
        Hit.Builder hit = Hit.builder();
        hit.timestampMicros = ChronoUnit.MICROS.between(Instant.EPOCH, NOON.plusSeconds(60L * minute));
        hit.siteId = 1;
        hit.hostname = "lists.example";
        hit.path = path;
        hit.country = country;
        hit.browser = browser;
        hit.visitorId = visitor;
        hit.sessionKey = "session-" + visitor;
        return hit.build();
    }

    private static String row(JsonNode row) {
        return row.get("value").asText() + " " + row.get("pageviews").asLong() + "/" + row.get("visitors").asLong();
    }

    private static List<String> rows(JsonNode list) {
        List<String> rows = new ArrayList<>();
        list.forEach(row -> rows.add(row(row)));
        return rows;
    }
}
