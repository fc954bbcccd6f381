package io.hitkeep.query;

import io.hitkeep.core.Hit;
import io.hitkeep.writer.StoredHits;
import org.junit.jupiter.api.Test;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A filter's rollups answer its ranges as the raw hits do, exactly: once the roller has rolled the filter the first
 * request asked for, with late hits into its days (forgotten, then rolled again) and days not rolled yet; for a
 * filter that keeps whole sessions (a country), one that keeps parts of sessions (a page), two at once, and a value
 * with a quote. Filters on events are left to the raw hits; a site's filters go with the site.
 */
class FilterRollupsTest {
    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static final StatsRequest YEAR_OF_DE = new StatsRequest(1, "2026-03-19", "2026-04-04",
            List.of(new StatsRequest.Filter("country", "DE")), 20, List.of("summary", "chart", "lists"));

    @Test
    void aFilterIsRolledAfterItsFirstRequestAndThenAnswersAsTheRawHits() {
        try (StoredHits stored = StoredHits.open()) {
            stored.add(RollupAnswersTest.hits(new Random(21), 0, 12).toArray(Hit[]::new));
            Stats raw = new Stats(stored.database());
            Rollups rollups = StatsPaths.roll(stored.database(), 1, ZONE);
            RollupAnswers answers = new RollupAnswers(rollups, 0);
            Stats rolled = new Stats(stored.database(), Optional.of(answers));
            List<List<StatsRequest.Filter>> filters = List.of(
                    List.of(new StatsRequest.Filter("country", "DE")),
                    List.of(new StatsRequest.Filter("page", "/pricing")),
                    List.of(new StatsRequest.Filter("browser", "Firefox"), new StatsRequest.Filter("page", "/docs")),
                    List.of(new StatsRequest.Filter("page", "/it's")));

            assertFalse(StatsPaths.fromRollups(stored.database(), answers, YEAR_OF_DE, ZONE), "not rolled before it is asked for");
            for (List<StatsRequest.Filter> filter : filters) {
                RollupAnswersTest.compareRanges(request -> raw.answer(request, ZONE), request -> rolled.answer(request, ZONE), ZONE, filter);
            }
            assertTrue(rollFilters(rollups) > 0);
            assertEquals(4, count(stored, "SELECT count(*) FROM rollup_filters"), "the four filters asked for are registered");
            assertTrue(StatsPaths.fromRollups(stored.database(), answers, YEAR_OF_DE, ZONE), "rolled: answered from the filter's rollups");
            // the same filters in another order are the same filter
            assertTrue(StatsPaths.fromRollups(stored.database(), answers, new StatsRequest(1, "2026-03-19", "2026-04-04",
                    List.of(new StatsRequest.Filter("page", "/docs"), new StatsRequest.Filter("browser", "Firefox")), 20,
                    List.of("summary")), ZONE));
            sameAnswers(raw, rolled, filters);

            // late hits into a rolled day: pending, read fresh; then rolled, and forgotten by the filters, read fresh again
            stored.add(RollupAnswersTest.hits(new Random(22), 8, 9).toArray(Hit[]::new));
            assertTrue(StatsPaths.fromRollups(stored.database(), answers, YEAR_OF_DE, ZONE), "a few pending days are read fresh");
            sameAnswers(raw, rolled, filters);
            rollups.rollPending();
            long forgotten = count(stored, "SELECT count(*) FROM rollup_filter_days WHERE filter_id = 1");
            sameAnswers(raw, rolled, filters);
            // and many more: too many days to read fresh, the raw hits answer until the filters are rolled again
            stored.add(RollupAnswersTest.hits(new Random(23), 2, 14).toArray(Hit[]::new));
            rollups.rollPending();
            assertTrue(count(stored, "SELECT count(*) FROM rollup_filter_days WHERE filter_id = 1") < forgotten, "days forgotten");
            assertFalse(StatsPaths.fromRollups(stored.database(), answers, YEAR_OF_DE, ZONE));
            sameAnswers(raw, rolled, filters);
            rollFilters(rollups);
            assertTrue(StatsPaths.fromRollups(stored.database(), answers, YEAR_OF_DE, ZONE));
            sameAnswers(raw, rolled, filters);
        }
    }

    @Test
    void eventFiltersAreLeftToTheRawHitsAndASitesFiltersGoWithIt() {
        try (StoredHits stored = StoredHits.open()) {
            stored.add(RollupAnswersTest.hits(new Random(23), 0, 6).toArray(Hit[]::new));
            Rollups rollups = StatsPaths.roll(stored.database(), 1, ZONE);
            RollupAnswers answers = new RollupAnswers(rollups, 0);
            StatsRequest byEvent = new StatsRequest(1, "2026-03-19", "2026-03-27", List.of(new StatsRequest.Filter("event", "Signup")), 20,
                    List.of("summary"));
            StatsPaths.fromRollups(stored.database(), answers, byEvent, ZONE);
            StatsPaths.fromRollups(stored.database(), answers, YEAR_OF_DE, ZONE);
            rollFilters(rollups);
            assertEquals(1, count(stored, "SELECT count(*) FROM rollup_filters"), "only the country filter is registered");
            assertFalse(StatsPaths.fromRollups(stored.database(), answers, byEvent, ZONE));
            assertTrue(count(stored, "SELECT count(*) FROM rollup_filter_days") > 0);

            stored.database().write("delete the site", sql -> {
                try (Statement statement = sql.connection().createStatement()) {
                    return statement.executeUpdate("DELETE FROM sites WHERE id = 1");
                }
            });
            rollups.catchUp();
            assertEquals(0, count(stored, "SELECT count(*) FROM rollup_filters"));
            assertEquals(0, count(stored, "SELECT (SELECT count(*) FROM rollup_filter_days) + (SELECT count(*) FROM rollup_filter_sessions)"
                    + " + (SELECT count(*) FROM rollup_filter_values)"));
        }
    }

    /**
     * A site keeps its 20 most recently asked filters, each for a week after it was last asked for; at most a
     * thousand filters asked for wait for the roller's next round.
     */
    @Test
    void aSiteKeepsItsMostRecentlyAskedFiltersForAWeek() {
        try (StoredHits stored = StoredHits.open()) {
            stored.add(RollupAnswersTest.hits(new Random(24), 0, 1).toArray(Hit[]::new));
            Rollups rollups = StatsPaths.roll(stored.database(), 1, ZONE);
            for (int page = 0; page < FilterRollups.MAX_PER_SITE; page++) {
                rollups.filters().want(1, "(path) = '/page-" + page + "'");
            }
            rollFilters(rollups);
            assertEquals(FilterRollups.MAX_PER_SITE, count(stored, "SELECT count(*) FROM rollup_filters"));
            // asked last, registered last: kept ahead of the others even where the clock gives them all the same time
            rollups.filters().want(1, "(path) = '/newest'");
            rollFilters(rollups);
            assertEquals(FilterRollups.MAX_PER_SITE, count(stored, "SELECT count(*) FROM rollup_filters"), "the least recently asked went");
            assertEquals(1, count(stored, "SELECT count(*) FROM rollup_filters WHERE predicate = '(path) = ''/newest'''"));
            assertEquals(FilterRollups.MAX_PER_SITE, count(stored, "SELECT count(DISTINCT filter_id) FROM rollup_filter_days"),
                    "and its rollups with it");

            stored.database().write("a week and a day ago", sql -> {
                try (Statement statement = sql.connection().createStatement()) {
                    return statement.executeUpdate("UPDATE rollup_filters SET last_used = last_used - INTERVAL 8 DAY"
                            + " WHERE predicate <> '(path) = ''/newest'''");
                }
            });
            rollFilters(rollups);
            assertEquals(1, count(stored, "SELECT count(*) FROM rollup_filters"), "only the one asked for within the week is kept");
            assertEquals(1, count(stored, "SELECT count(DISTINCT filter_id) FROM rollup_filter_days"));

            // a script asking for ever new values is answered from the raw hits, and waits for no roll
            for (int page = 0; page <= FilterRollups.MAX_ASKED; page++) {
                rollups.filters().want(1, "(path) = '/script-" + page + "'");
            }
            assertEquals(FilterRollups.MAX_ASKED, rollups.filters().waiting(), "the one past the limit is not noted");
        }
    }

    private static void sameAnswers(Stats raw, Stats rolled, List<List<StatsRequest.Filter>> filters) {
        for (List<StatsRequest.Filter> filter : filters) {
            RollupAnswersTest.compareRanges(request -> raw.answer(request, ZONE), request -> rolled.answer(request, ZONE), ZONE, filter);
        }
    }

    /** Rolls the filters until they lack no day; answers how many days that was. */
    private static int rollFilters(Rollups rollups) {
        int days = 0;
        for (int rolled = rollups.rollFilters(); rolled > 0; rolled = rollups.rollFilters()) {
            days += rolled;
        }
        return days;
    }

    private static long count(StoredHits stored, String sql) {
        return stored.database().read(connection -> {
            try (Statement statement = connection.connection().createStatement(); ResultSet row = statement.executeQuery(sql)) {
                row.next();
                return row.getLong(1);
            }
        });
    }
}
