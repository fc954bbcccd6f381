package io.hitkeep.query;

import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.core.Metrics;
import io.hitkeep.core.Settings;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.Sql;
import io.hitkeep.writer.SqlFile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Keeps the rollups (migration 013) in step with the hits, in the writer process. The writer marks, in the
 * same transaction as the hits, each site and UTC hour that got hits ({@code rollup_pending}); the roller
 * takes those marks, rolls the site's local days they touch from the raw hits (every count of the day,
 * computed again: a day's rollup is a function of its hits, so nothing is counted twice whatever is retried),
 * and deletes the marks it read in the same transaction. At start it marks what the marks do not cover:
 * days whose hit count differs from their rollup (hits restored or imported into a stopped installation)
 * and sites whose time zone changed. Thread-safe: one roll at a time, on a connection of its own.
 */
final class Rollups implements AutoCloseable {
    /** Rolls a site again from its hits (admins and owners); answers the days to roll. */
    public static final StoreOperation<Sites.SiteRef, Rebuilding> REBUILD = StoreOperation.of("rollups.rebuild", Sites.SiteRef.class,
            Rebuilding.class);

    /** The site whose rollups are rolled again, and how many of its days. */
    public record Rebuilding(int siteId, int days) {
    }

    private static final Logger LOG = Logger.getLogger(Rollups.class.getName());
    private static final SqlFile SQL = SqlFile.load(Rollups.class, "sql/rollups.sql");
    /** Days rolled per transaction: a year of a big site catches up in small steps that each fit in memory. */
    private static final int DAYS_PER_ROLL = 7;
    /** Transactions of filter days per round (of {@link FilterRollups#rollSome}'s week each). */
    private static final int FILTER_ROLLS_PER_ROUND = 8;
    private static final List<String> TABLES_BY_DAY = List.of("rollup_days", "rollup_sessions", "rollup_values");
    private static final AtomicLong PENDING_HOURS = new AtomicLong(-1);
    private static final AtomicLong FILTERS = new AtomicLong();
    private static final AtomicLong FILTER_DAYS_LACKING = new AtomicLong();
    /** The {@code {hits}} of rollups.sql for the site's own rollups: every hit. */
    static final String ALL_HITS = "hits";

    static {
        Metrics.gauge("hitkeep_rollups_pending_hours", "Site hours with hits not rolled up yet (-1 until the start's catch-up)",
                PENDING_HOURS::get);
        Metrics.gauge("hitkeep_rollups_filters", "Filters whose rollups are kept (asked for in the last week)", FILTERS::get);
        Metrics.gauge("hitkeep_rollups_filter_days_lacking", "Days the kept filters' rollups lack (ranges over them are read from the hits)",
                FILTER_DAYS_LACKING::get);
    }

    /** The roller rolls for at most one part in this many of its time, beside ingest. */
    private static final int ROLLING_SHARE_INVERSE = 10;
    private static final Duration MAX_PAUSE = Duration.ofMinutes(1);
    /**
     * After rolling this many days (a site's and its filters') in rounds one after the other, the first round with
     * nothing to roll lets DuckDB give back the blocks the rolls left cached ({@link Database#releaseCache()}): the
     * start's catch-up on a seeded, restored or imported year, a rebuild, a filter's first year.
     */
    static final int BULK_DAYS = 28;
    /**
     * How often the roller's rounds roll a site's current day again while it is the site's only day with new hits.
     * A range reads a day with hits not rolled yet from the raw hits, so on a site with steady traffic today's rollup
     * is stale at the next hit, and rolling it every round bought nothing; yet each round rolls the whole day again,
     * and beside a heavy load that took a fifth of a core (the roller's thread and DuckDB's: {@code bench/run.sh},
     * BENCHMARKS.md). A day that has ended, or new hits on any other day, are rolled in the next round as before.
     */
    static final Duration CURRENT_DAY_INTERVAL = Duration.ofMinutes(5);

    private final Database database;
    private final Duration interval;
    private final Clock clock;
    private final FilterRollups filters = new FilterRollups();
    private final Object rolling = new Object();
    /** When the roller's rounds last rolled each site's current day (guarded by {@link #rolling}). */
    private final Map<Integer, Instant> currentDayRolled = new HashMap<>();
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    /** Days the roller's rounds rolled since the last round with nothing to roll (the roller's thread only). */
    private int rolledInARow;
    private Thread thread;

    Rollups(Database database, Duration interval) {
        this(database, interval, Clock.systemUTC());
    }

    /** With the clock that says which day is current and when it was rolled (a test's own). */
    Rollups(Database database, Duration interval, Clock clock) {
        this.database = database;
        this.interval = interval;
        this.clock = clock;
    }

    /**
     * Starts the roller: catches up, then rolls what is pending every {@code rollup-interval} (default 5 s), a site's
     * current day alone at most every {@link #CURRENT_DAY_INTERVAL}; a range's days not rolled yet are read from the
     * hits meanwhile.
     */
    static Rollups start(Database database, Settings settings) {
        Rollups rollups = new Rollups(database, settings.duration("rollup-interval", Duration.ofSeconds(5)));
        rollups.thread = Thread.ofPlatform().daemon().name("hitkeep-rollups").start(rollups::run);
        return rollups;
    }

    private void run() {
        while (running) {
            Duration pause = interval;
            try {
                if (!caughtUp) {
                    catchUp();
                }
                long started = System.nanoTime();
                int days = rollDue();
                long filtersStarted = System.nanoTime();
                int filterDays = rollFilters();
                releaseCacheAfterBulk(days + filterDays);
                pause = pauseAfter(interval, Duration.ofNanos(filtersStarted - started), days,
                        filterDays == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - filtersStarted));
            } catch (RuntimeException e) {
                if (running) {
                    LOG.log(Level.WARNING, "rolling up failed; trying again", e);
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Counts the days a round rolled; at the first round with none after {@link #BULK_DAYS} or more, lets DuckDB give
     * back its cached blocks. Answers whether it did.
     */
    boolean releaseCacheAfterBulk(int days) {
        if (days > 0) {
            rolledInARow += days;
            return false;
        }
        boolean bulk = rolledInARow >= BULK_DAYS;
        rolledInARow = 0;
        if (bulk) {
            database.releaseCache();
        }
        return bulk;
    }

    /**
     * How long the roller rests after rolling {@code days} days in {@code took}: {@code interval}, or nine times
     * what a day took when that is longer, so that it rolls at most a tenth of the time beside ingest (DuckDB spreads
     * a roll over its threads, so that is up to a fifth of a core on two; a day is rolled again from all its hits
     * each time, and on a busy site today grows all day: hence also {@link #CURRENT_DAY_INTERVAL}); at most a minute,
     * since a range reads its days not rolled yet from the raw hits meanwhile.
     */
    static Duration pauseAfter(Duration interval, Duration took, int days) {
        return pauseAfter(interval, took, days, Duration.ZERO);
    }

    /**
     * As {@link #pauseAfter(Duration, Duration, int)}, after also rolling filters' days for {@code filtering}: nine
     * times that at least, so a filter's first roll (about 13 s for a year of ten million hits) takes at most a
     * tenth of the time beside ingest too, spread over a few minutes.
     */
    static Duration pauseAfter(Duration interval, Duration took, int days, Duration filtering) {
        Duration perDay = took.dividedBy(Math.max(1, days));
        Duration pause = perDay.multipliedBy(ROLLING_SHARE_INVERSE - 1);
        Duration afterFilters = filtering.multipliedBy(ROLLING_SHARE_INVERSE - 1);
        pause = afterFilters.compareTo(pause) > 0 ? afterFilters : pause;
        return pause.compareTo(interval) <= 0 ? interval : pause.compareTo(MAX_PAUSE) >= 0 ? MAX_PAUSE : pause;
    }

    /** Whether every hit that is not rolled up has its pending mark, so a range may be read from the rollups. */
    boolean caughtUp() {
        return caughtUp;
    }

    /**
     * Marks for rolling what the writer's marks do not cover: the days of a site never rolled or rolled in
     * another time zone, and every day whose pageviews differ from its rollup's. Forgets the rollups of sites
     * that are gone.
     */
    void catchUp() {
        synchronized (rolling) {
            long started = System.nanoTime();
            int marked = transaction("catch up the rollups", sql -> {
                Connection connection = sql.connection();
                execute(connection, "DELETE FROM rollup_pending WHERE site_id NOT IN (SELECT id FROM sites)");
                for (String table : allTables()) {
                    execute(connection, "DELETE FROM " + table + " WHERE site_id NOT IN (SELECT id FROM sites)");
                }
                FilterRollups.forgetGoneSites(connection);
                int days = 0;
                for (Map.Entry<Integer, ZoneId> site : sites(connection).entrySet()) {
                    days += markChangedDays(connection, site.getKey(), site.getValue());
                }
                return days;
            });
            caughtUp = true;
            PENDING_HOURS.set(pendingHours());
            LOG.info(() -> "rollups: " + marked + " days to roll found in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
    }

    /**
     * Marks every day of a site for rolling again from its hits (the admin call, the CLI step): for data
     * changed behind the writer's back. The roller rolls them in the background; answers how many.
     */
    int rebuild(int siteId) {
        synchronized (rolling) {
            return transaction("rebuild the rollups", sql -> {
                execute(sql.connection(), "DELETE FROM rollup_sites WHERE site_id = " + siteId);
                ZoneId zone = sites(sql.connection()).get(siteId);
                return zone == null ? 0 : markChangedDays(sql.connection(), siteId, zone);
            });
        }
    }

    /** Rolls every site again from its hits, here and now: the CLI step, on a stopped installation. */
    static int rebuildAll(Database database) {
        Rollups rollups = new Rollups(database, Duration.ZERO);
        List<Integer> sites = rollups.transaction("read the sites", sql -> List.copyOf(sites(sql.connection()).keySet()));
        sites.forEach(rollups::rebuild);
        int days = 0;
        for (int rolled = rollups.rollPending(); rolled > 0; rolled = rollups.rollPending()) {
            days += rolled;
        }
        return days;
    }

    /** Rolls every day that was pending when called; answers how many days were rolled. */
    int rollPending() {
        return roll(false);
    }

    /**
     * The roller's round: as {@link #rollPending}, but a site whose only pending day is its current day is left for a
     * later round when the rounds rolled that day less than {@link #CURRENT_DAY_INTERVAL} ago.
     */
    int rollDue() {
        return roll(true);
    }

    private int roll(boolean spareCurrentDay) {
        synchronized (rolling) {
            int rolled = 0;
            Map<Integer, ZoneId> sites = transaction("read the sites", sql -> {
                // a site whose time zone changed is rolled again in its new one
                for (Map.Entry<Integer, ZoneId> site : sites(sql.connection()).entrySet()) {
                    if (!site.getValue().getId().equals(rolledZone(sql.connection(), site.getKey()).orElse(""))) {
                        markChangedDays(sql.connection(), site.getKey(), site.getValue());
                    }
                }
                return sites(sql.connection());
            });
            for (Map.Entry<Integer, ZoneId> site : sites.entrySet()) {
                SortedSet<LocalDate> pending = pendingDays(site.getKey(), site.getValue());
                if (spareCurrentDay && !currentDayDue(site.getKey(), site.getValue(), pending)) {
                    continue;
                }
                // bounded: under steady traffic the current hour is pending again at once, and waits for the next round
                int rounds = (int) Math.ceil(pending.size() / (double) DAYS_PER_ROLL) + 1;
                for (int round = 0; round < rounds; round++) {
                    int days = transaction("roll up site " + site.getKey(), sql -> rollSome(sql.connection(), site.getKey(), site.getValue()));
                    if (days == 0) {
                        break;
                    }
                    rolled += days;
                    PENDING_HOURS.set(pendingHours());
                }
            }
            PENDING_HOURS.set(pendingHours());
            return rolled;
        }
    }

    /**
     * Whether a round rolls this site's {@code pending} days: yes unless they are its current day alone and the rounds
     * rolled that day less than {@link #CURRENT_DAY_INTERVAL} ago. Notes the roll of the current day when it is due.
     */
    private boolean currentDayDue(int siteId, ZoneId zone, SortedSet<LocalDate> pending) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, zone);
        if (!pending.contains(today)) {
            return true;
        }
        Instant last = currentDayRolled.get(siteId);
        if (pending.size() == 1 && last != null && last.plus(CURRENT_DAY_INTERVAL).isAfter(now)
                && LocalDate.ofInstant(last, zone).equals(today)) {
            return false;
        }
        currentDayRolled.put(siteId, now);
        return true;
    }

    /** The filters that requests asked for, which {@link #rollFilters} rolls up. */
    FilterRollups filters() {
        return filters;
    }

    /**
     * Registers the filters asked for, then rolls days they lack: at most {@link #FILTER_ROLLS_PER_ROUND}
     * transactions, so a new filter's year is rolled over a few rounds, each followed by the roller's rest.
     * Answers how many days it rolled.
     */
    int rollFilters() {
        synchronized (rolling) {
            List<FilterRollups.Filter> kept = transaction("register the filters asked for", sql -> filters.register(sql.connection()));
            int rolled = 0;
            int rolls = 0;
            for (FilterRollups.Filter filter : kept) {
                // only a transaction that rolled days counts against the round's share: one that finds the filter
                // complete is a few small reads
                for (int some = 1; some > 0 && rolls < FILTER_ROLLS_PER_ROUND; ) {
                    some = transaction("roll up filter " + filter.id() + " of site " + filter.siteId(),
                            sql -> FilterRollups.rollSome(sql.connection(), filter));
                    if (some > 0) {
                        rolls++;
                        rolled += some;
                    }
                }
            }
            long lacking = 0;
            for (FilterRollups.Filter filter : kept) {
                lacking += transaction("count the days filter " + filter.id() + " lacks",
                        sql -> FilterRollups.lacking(sql.connection(), filter).size());
            }
            FILTERS.set(kept.size());
            FILTER_DAYS_LACKING.set(lacking);
            if (rolled > 0) {
                String done = "rollups: rolled " + rolled + " days of " + kept.size() + " filters; days left to roll: " + lacking;
                LOG.info(done);
            }
            return rolled;
        }
    }

    /** Rolls up to {@link #DAYS_PER_ROLL} pending days of a site, with the days its sessions link them to. */
    private int rollSome(Connection connection, int siteId, ZoneId zone) throws SQLException {
        LocalDays days = new LocalDays(zone);
        List<LocalDateTime> hours = hoursPending(connection, siteId);
        if (hours.isEmpty()) {
            return 0;
        }
        SortedSet<LocalDate> pending = new TreeSet<>();
        for (LocalDateTime hour : hours) {
            pending.addAll(days.of(hour));
        }
        SortedSet<LocalDate> chunk = new TreeSet<>(pending);
        while (chunk.size() > DAYS_PER_ROLL) {
            chunk.remove(chunk.last());
        }
        SortedSet<LocalDate> values = new TreeSet<>(chunk);
        // a rolled day after a changed one counts the visitors it shares with it: rolled again with it
        values.addAll(rolledDaysAfter(connection, siteId, chunk, pending));
        // the days whose sessions are rolled: those, and the days linked to them below, whose hits did not change
        // (their values stay as they are: on a busy site, today's sessions link to yesterday all day long)
        SortedSet<LocalDate> rolled = new TreeSet<>(values);
        boolean active = dayStarts(connection, siteId, days, rolled);
        if (active) {
            pieces(connection, siteId, ALL_HITS, days, rolled);
            // rolled days that share sessions with these have stale links: rolled again with them (days still
            // pending get theirs right when their turn comes)
            SortedSet<LocalDate> linked = staleLinkedDays(connection, siteId, ALL_HITS, intervals(hours));
            linked.removeAll(pending);
            linked.removeAll(rolled);
            if (!linked.isEmpty()) {
                rolled.addAll(linked);
                // the day after a re-linked day counts the entry and exit visitors it shares with it under the
                // links of both: rolled again with it
                rolled.addAll(rolledDaysAfter(connection, siteId, linked, pending));
                pieces(connection, siteId, ALL_HITS, days, rolled);
            }
            values(connection, siteId, ALL_HITS, days, values);
        }
        String valueDays = LocalDays.list(values);
        String sessionDays = LocalDays.list(rolled);
        execute(connection, "DELETE FROM rollup_days WHERE site_id = " + siteId + " AND day IN (" + valueDays + ")");
        execute(connection, "DELETE FROM rollup_values WHERE site_id = " + siteId + " AND "
                + byList("day IN (" + sessionDays + ")", "day IN (" + valueDays + ")"));
        execute(connection, "DELETE FROM rollup_sessions WHERE site_id = " + siteId + " AND day IN (" + sessionDays + ")");
        // the site's filters held these days as they were: they are rolled again from the hits they have now
        FilterRollups.forgetDays(connection, siteId, Optional.of(rolled));
        if (active) {
            store(connection, siteId, rolled, values);
        }
        List<String> done = hours.stream().filter(hour -> values.containsAll(days.of(hour)))
                .map(hour -> "TIMESTAMP '" + hour + "'").toList();
        if (!done.isEmpty()) {
            execute(connection, "DELETE FROM rollup_pending WHERE site_id = " + siteId + " AND hour IN (" + String.join(", ", done) + ")");
        }
        execute(connection, "DROP TABLE IF EXISTS roll_pieces");
        execute(connection, "DROP TABLE IF EXISTS roll_values");
        return rolled.size();
    }

    /**
     * Computes the sessions' pieces of {@code sessionDays} and the values of {@code valueDays} from the raw hits,
     * into the temporary tables {@code roll_pieces} and {@code roll_values} of this connection: what the roller
     * stores, and what a range reads for its days that are not rolled yet. After {@link #dayStarts} or
     * {@link #rolledDayStarts} for these days.
     */
    static void fresh(Connection connection, int siteId, String hits, LocalDays localDays, SortedSet<LocalDate> sessionDays,
                      SortedSet<LocalDate> valueDays) throws SQLException {
        pieces(connection, siteId, hits, localDays, sessionDays);
        values(connection, siteId, hits, localDays, valueDays);
    }

    /**
     * {@code roll_pieces}: the pieces of every session active on {@code days}, on every day it was active, and of
     * those with a pageview in the reach of the day before each (whose visitors can be the days' too).
     */
    static void pieces(Connection connection, int siteId, String hits, LocalDays localDays, SortedSet<LocalDate> days)
            throws SQLException {
        try (PreparedStatement pieces = prepare(connection, "pieces", Map.of("hits", hits, "in_days", localDays.timestampIn(days),
                "in_reach", localDays.timestampInReach(days)), Map.of("site_id", siteId, "zone", localDays.zone().getId()))) {
            pieces.execute();
        }
    }

    /** {@code roll_values}: the day totals and top-list values of {@code days}, with their visitors and those shared with the day before. */
    private static void values(Connection connection, int siteId, String hits, LocalDays localDays, SortedSet<LocalDate> days)
            throws SQLException {
        try (PreparedStatement values = prepare(connection, "values", Map.of("hits", hits, "in_reach", localDays.timestampInReach(days),
                "days", LocalDays.list(days)), Map.of("site_id", siteId, "zone", localDays.zone().getId()))) {
            values.execute();
        }
    }

    /**
     * Loads the ASOF join's day starts ({@link LocalDays#load}) for every day of the site's pageviews and pings (a
     * session's pieces on any day count for its links) and the days asked for; false when the site has neither.
     */
    static boolean dayStarts(Connection connection, int siteId, LocalDays days, SortedSet<LocalDate> asked) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT min(timestamp), max(timestamp) FROM (
                    SELECT timestamp FROM hits WHERE site_id = ? UNION ALL SELECT timestamp FROM engagements WHERE site_id = ?)""")) {
            statement.setInt(1, siteId);
            statement.setInt(2, siteId);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                LocalDateTime first = row.getObject(1, LocalDateTime.class);
                LocalDateTime last = row.getObject(2, LocalDateTime.class);
                if (first == null) {
                    return false;
                }
                LocalDate from = first.toLocalDate().minusDays(1);
                LocalDate to = last.toLocalDate().plusDays(1);
                from = asked.first().isBefore(from) ? asked.first() : from;
                to = asked.last().isAfter(to) ? asked.last() : to;
                days.load(connection, from, to);
                return true;
            }
        }
    }

    /**
     * As {@link #dayStarts}, from the site's rollups instead of a scan of its hits and pings (tens of milliseconds on a
     * big site, on every request that reads fresh days): the days rolled with a hit or a ping, and those pending. Only
     * while the rollups are caught up, when every day with a hit or a ping is one or the other.
     */
    static boolean rolledDayStarts(Connection connection, int siteId, LocalDays days, SortedSet<LocalDate> asked)
            throws SQLException {
        SortedSet<LocalDate> active = pendingDays(connection, siteId, days.zone(), Optional.empty());
        try (PreparedStatement statement = connection.prepareStatement("SELECT min(day), max(day) FROM rollup_sessions WHERE site_id = ?")) {
            statement.setInt(1, siteId);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                Optional.ofNullable(row.getObject(1, LocalDate.class)).ifPresent(active::add);
                Optional.ofNullable(row.getObject(2, LocalDate.class)).ifPresent(active::add);
            }
        }
        if (active.isEmpty()) {
            return false;
        }
        active.addAll(asked);
        days.load(connection, active.first().minusDays(1), active.last().plusDays(1));
        return true;
    }

    /**
     * The days on which the sessions in {@code roll_pieces} with a hit or a ping in {@code changed} (SQL over
     * {@code timestamp}: {@link #pendingHours}, and the days a filter does not hold) were active.
     */
    static SortedSet<LocalDate> staleLinkedDays(Connection connection, int siteId, String hits, String changed) throws SQLException {
        try (PreparedStatement statement = prepare(connection, "stale-linked-days", Map.of("hits", hits, "in_changed", changed),
                Map.of("site_id", siteId))) {
            return dates(statement);
        }
    }

    /** The dates a query answers in its first column. */
    static SortedSet<LocalDate> dates(PreparedStatement query) throws SQLException {
        SortedSet<LocalDate> days = new TreeSet<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                days.add(rows.getObject(1, LocalDate.class));
            }
        }
        return days;
    }

    /**
     * The rolled days right after {@code changed} days that are not pending themselves: the visitors they share
     * with the day before change with it (late hits, a restore), so they are rolled again with it.
     */
    private static SortedSet<LocalDate> rolledDaysAfter(Connection connection, int siteId, SortedSet<LocalDate> changed,
                                                        SortedSet<LocalDate> pending) throws SQLException {
        SortedSet<LocalDate> next = new TreeSet<>();
        changed.forEach(day -> next.add(day.plusDays(1)));
        next.removeAll(pending);
        SortedSet<LocalDate> rolled = new TreeSet<>();
        if (next.isEmpty()) {
            return rolled;
        }
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT day FROM rollup_days WHERE site_id = " + siteId + " AND day IN (" + LocalDays.list(next) + ")")) {
            while (rows.next()) {
                rolled.add(rows.getObject(1, LocalDate.class));
            }
        }
        return rolled;
    }

    /** Copies the temporary tables of {@link #fresh} into the rollup tables: the sessions of {@code days}, the values of {@code valueDays}. */
    private static void store(Connection connection, int siteId, SortedSet<LocalDate> days, SortedSet<LocalDate> valueDays)
            throws SQLException {
        execute(connection, "INSERT INTO rollup_days (site_id, day, pageviews, visitors, shared_visitors) SELECT " + siteId
                + ", day, pageviews, visitors, shared_visitors FROM roll_values WHERE dimension = 'total' AND day IN ("
                + LocalDays.list(valueDays) + ")");
        storeListsAndSessions(connection, "rollup_", siteId, days, valueDays);
    }

    /**
     * Copies the top lists' values of {@code valueDays} and the sessions of {@code days} from the temporary tables
     * of {@link #fresh} into {@code tables}' values and sessions tables ({@code rollup_}: the site's, keyed by its
     * id; {@code rollup_filter_}: a filter's, keyed by the filter's), which have the same columns in the same order.
     */
    static void storeListsAndSessions(Connection connection, String tables, int key, SortedSet<LocalDate> days,
                                      SortedSet<LocalDate> valueDays) throws SQLException {
        Map<String, String> parts = Map.of("days", LocalDays.list(days));
        execute(connection, "INSERT INTO " + tables + "values SELECT " + key + ", day, dimension, value, NULL, pageviews, visitors,"
                + " shared_visitors FROM roll_values WHERE dimension <> 'total' AND value <> '' AND day IN (" + LocalDays.list(valueDays) + ")");
        execute(connection, "INSERT INTO " + tables + "values SELECT " + key + ", * FROM (" + text("session-page-rows", parts) + ")");
        execute(connection, "INSERT INTO " + tables + "sessions SELECT " + key + ", * FROM (" + text("session-rows", parts) + ")");
    }

    /**
     * Marks every local day of the site whose pageviews differ from its rollup (all of them when the site was
     * rolled in another zone, or never), and records the zone.
     */
    private static int markChangedDays(Connection connection, int siteId, ZoneId zone) throws SQLException {
        if (!zone.getId().equals(rolledZone(connection, siteId).orElse(""))) {
            for (String table : allTables()) {
                execute(connection, "DELETE FROM " + table + " WHERE site_id = " + siteId);
            }
            FilterRollups.forgetDays(connection, siteId, Optional.empty());
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO rollup_sites VALUES (?, ?)")) {
                insert.setInt(1, siteId);
                insert.setString(2, zone.getId());
                insert.execute();
            }
        }
        LocalDays days = new LocalDays(zone);
        if (!dayStarts(connection, siteId, days, new TreeSet<>(List.of(LocalDate.now(zone))))) {
            return 0;
        }
        List<LocalDate> changed = new ArrayList<>();
        // counted per quarter hour first: every zone's offset is a multiple of 15 minutes, so a quarter hour lies
        // in one local day, and the ASOF join then matches thousands of slots instead of millions of hits
        try (PreparedStatement statement = connection.prepareStatement("WITH bounds AS (SELECT day, start_utc FROM day_starts WHERE zone = ?),"
                + " slots AS (SELECT time_bucket(INTERVAL 15 MINUTE, timestamp) AS slot, count(*) AS pageviews FROM hits"
                + " WHERE site_id = ? GROUP BY slot),"
                + " counted AS (SELECT b.day, sum(pageviews) AS pageviews FROM slots s ASOF JOIN bounds b ON s.slot >= b.start_utc"
                + " GROUP BY b.day),"
                + " rolled AS (SELECT day, pageviews FROM rollup_days WHERE site_id = ?)"
                + " SELECT day FROM counted FULL JOIN rolled USING (day) WHERE counted.pageviews IS DISTINCT FROM rolled.pageviews"
                // months that retention moved to Parquet have no hits left: their rollups stay (ranges over them
                // are read from the files anyway)
                + " AND strftime(day, '%Y-%m') NOT IN (SELECT month FROM archived_months WHERE site_id = ?)")) {
            statement.setString(1, zone.getId());
            statement.setInt(2, siteId);
            statement.setInt(3, siteId);
            statement.setInt(4, siteId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    changed.add(rows.getObject(1, LocalDate.class));
                }
            }
        }
        if (!changed.isEmpty()) {
            // every hour of each day (from the hour its local midnight falls in): the roller takes the sessions with
            // a hit in a pending hour for changed
            execute(connection, "INSERT INTO rollup_pending SELECT " + siteId + ", unnest(generate_series(first_hour, next_day"
                    + " - INTERVAL 1 MICROSECOND, INTERVAL 1 HOUR)) FROM (VALUES " + changed.stream()
                    .map(day -> "(TIMESTAMP '" + days.start(day).truncatedTo(java.time.temporal.ChronoUnit.HOURS) + "', TIMESTAMP '"
                            + days.start(day.plusDays(1)) + "')").collect(Collectors.joining(", ")) + ") t(first_hour, next_day)");
        }
        return changed.size();
    }

    /** The local days that the site's pending marks touch. */
    SortedSet<LocalDate> pendingDays(int siteId, ZoneId zone) {
        return database.read(sql -> pendingDays(sql.connection(), siteId, zone, Optional.empty()));
    }

    /**
     * The site's hours with hits not rolled yet, as SQL over {@code timestamp} (runs of hours in one interval);
     * {@code false} when there are none.
     */
    static String pendingHours(Connection connection, int siteId) throws SQLException {
        return intervals(hoursPending(connection, siteId));
    }

    /** The site's UTC hours with hits not rolled yet, in order. */
    private static List<LocalDateTime> hoursPending(Connection connection, int siteId) throws SQLException {
        List<LocalDateTime> hours = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT hour FROM rollup_pending WHERE site_id = ? ORDER BY hour")) {
            statement.setInt(1, siteId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    hours.add(rows.getObject(1, LocalDateTime.class));
                }
            }
        }
        return hours;
    }

    /** {@code hours} (UTC hours in order, each once) as SQL over {@code timestamp}: runs of hours in one interval; {@code false} for none. */
    private static String intervals(List<LocalDateTime> hours) {
        List<String> intervals = new ArrayList<>();
        LocalDateTime first = null;
        LocalDateTime end = null;
        for (LocalDateTime hour : hours) {
            if (end != null && !hour.equals(end)) {
                intervals.add(interval(first, end));
                first = null;
            }
            first = first == null ? hour : first;
            end = hour.plusHours(1);
        }
        if (first != null) {
            intervals.add(interval(first, end));
        }
        return intervals.isEmpty() ? "false" : String.join(" OR ", intervals);
    }

    /**
     * A predicate on rollup_values' rows: {@code sessions} for entry and exit pages, whose rows come from the sessions'
     * pieces, {@code values} for the other lists, whose rows come from the values (a day is rolled or read again for its
     * sessions alone when only its sessions' links changed).
     */
    static String byList(String sessions, String values) {
        return "CASE WHEN dimension IN ('entry_pages', 'exit_pages') THEN " + sessions + " ELSE " + values + " END";
    }

    private static String interval(LocalDateTime from, LocalDateTime to) {
        return "(timestamp >= TIMESTAMP '" + from + "' AND timestamp < TIMESTAMP '" + to + "')";
    }

    /** The site's pending days, within {@code [first, last]} when given. */
    static SortedSet<LocalDate> pendingDays(Connection connection, int siteId, ZoneId zone, Optional<LocalDate[]> within)
            throws SQLException {
        LocalDays days = new LocalDays(zone);
        String range = within.map(bounds -> " AND hour >= TIMESTAMP '" + days.start(bounds[0]).minusHours(1) + "' AND hour < TIMESTAMP '"
                + days.start(bounds[1].plusDays(1)) + "'").orElse("");
        SortedSet<LocalDate> pending = new TreeSet<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT DISTINCT hour FROM rollup_pending WHERE site_id = ?" + range)) {
            statement.setInt(1, siteId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    pending.addAll(days.of(rows.getObject(1, LocalDateTime.class)));
                }
            }
        }
        within.ifPresent(bounds -> pending.removeIf(day -> day.isBefore(bounds[0]) || day.isAfter(bounds[1])));
        return pending;
    }

    /** The zone the site's rollups are in, if it has any. */
    static Optional<String> rolledZone(Connection connection, int siteId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT timezone FROM rollup_sites WHERE site_id = ?")) {
            statement.setInt(1, siteId);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        }
    }

    private long pendingHours() {
        return database.read(sql -> {
            try (Statement statement = sql.connection().createStatement();
                 ResultSet row = statement.executeQuery("SELECT count(*) FROM (SELECT DISTINCT site_id, hour FROM rollup_pending)")) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    private static Map<Integer, ZoneId> sites(Connection connection) throws SQLException {
        Map<Integer, ZoneId> sites = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, timezone FROM sites ORDER BY id")) {
            while (rows.next()) {
                sites.put(rows.getInt(1), ZoneId.of(rows.getString(2)));
            }
        }
        return sites;
    }

    private static List<String> allTables() {
        List<String> tables = new ArrayList<>(TABLES_BY_DAY);
        tables.add("rollup_sites");
        return tables;
    }

    /** A statement of {@code sql/rollups.sql} with its braced parts filled in and its named parameters bound. */
    static PreparedStatement prepare(Connection connection, String name, Map<String, String> parts, Map<String, Object> values)
            throws SQLException {
        SqlFile.Statement statement = SQL.get(name);
        // the lists' braces first: a part may hold a filter's value, whose text must stay as it is
        PreparedStatement prepared = connection.prepareStatement(fill(Dimension.withTopLists(statement.sql()), parts));
        try {
            for (int i = 0; i < statement.parameters().size(); i++) {
                String parameter = statement.parameters().get(i);
                if (!values.containsKey(parameter)) {
                    throw new HitKeepException(name + ": no value for :" + parameter);
                }
                prepared.setObject(i + 1, values.get(parameter));
            }
            return prepared;
        } catch (SQLException | RuntimeException e) {
            prepared.close();
            throw e;
        }
    }

    /** A statement without named parameters, as text to compose into another. */
    static String text(String name, Map<String, String> parts) {
        SqlFile.Statement statement = SQL.get(name);
        if (!statement.parameters().isEmpty()) {
            throw new HitKeepException(name + " has parameters; it cannot be composed as text");
        }
        return fill(statement.sql(), parts);
    }

    private static String fill(String sql, Map<String, String> parts) {
        for (Map.Entry<String, String> part : parts.entrySet()) {
            sql = sql.replace("{" + part.getKey() + "}", part.getValue());
        }
        return sql;
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Work in one transaction on the roller's own connection, so a long roll never holds up other writes. */
    private <T> T transaction(String what, Database.SqlFunction<Sql, T> work) {
        try (Connection connection = database.connection()) {
            return Database.inTransaction(connection, what, work);
        } catch (SQLException e) {
            throw new HitKeepException("cannot " + what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
