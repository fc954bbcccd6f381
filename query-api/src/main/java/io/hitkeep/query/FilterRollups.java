package io.hitkeep.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Rollups of a filter (migration 018), built on first use. The site's rollups keep no combination of
 * dimensions, so a filtered range ({@code filter=country:DE}) is otherwise read from every matching raw hit:
 * most of a second for a year of a big site. A filtered request records its filter ({@link #want}); the roller
 * then rolls the site's closed days again with only the hits that match ({@link #rollSome}: rollups.sql with
 * {@code {hits}} narrowed), into tables shaped like the site's, and later requests read those
 * ({@link RollupAnswers#plan}), exactly, with the few days not held (today, yesterday, days with late hits)
 * computed from the raw hits as the site's fresh days are. Whenever the roller rolls a site's days again it
 * forgets them for the site's filters too ({@link #forgetDays}): a filter never holds a day older than its hits.
 * A filter not asked for in {@link #FORGOTTEN_AFTER} is dropped, and a site keeps its {@link #MAX_PER_SITE} most
 * recently asked. Only filters on columns of the hits qualify: an event, goal or property filter depends on the
 * whole range, not on each day. Thread-safe: requests only record what they ask; the roller alone writes.
 */
final class FilterRollups {
    static final int MAX_PER_SITE = 20;
    static final Duration FORGOTTEN_AFTER = Duration.ofDays(7);
    static final int MAX_ASKED = 1000;
    /** Days rolled per transaction, as for the site's own rollups. */
    private static final int DAYS_PER_ROLL = 7;
    private static final List<String> TABLES = List.of("rollup_filter_days", "rollup_filter_sessions", "rollup_filter_values");

    /** A filter of a site, as the roller rolls it. */
    record Filter(int id, int siteId, String predicate, ZoneId zone) {
    }

    private record Asked(int siteId, String predicate) {
    }

    private final Map<Asked, Instant> asked = new ConcurrentHashMap<>();

    /**
     * The request's filters as one predicate over {@code hits} (its key), when every filter is on a column of the
     * hits; the terms sorted, so the same filters in another order are the same filter.
     */
    static Optional<String> predicate(StatsRequest request) {
        if (request.filters().isEmpty()) {
            return Optional.empty();
        }
        List<String> terms = new ArrayList<>();
        for (StatsRequest.Filter filter : request.filters()) {
            Dimension dimension = filter.of();
            // control characters never make a useful filter value; the raw path binds them as parameters instead
            if (dimension == Dimension.EVENT || dimension == Dimension.GOAL || dimension == Dimension.PROP || dimension.column().isEmpty()
                    || filter.value().chars().anyMatch(c -> c < 0x20)) {
                return Optional.empty();
            }
            terms.add("(" + dimension.column() + ") = " + literal(filter.value()));
        }
        return Optional.of(terms.stream().sorted().distinct().collect(Collectors.joining(" AND ")));
    }

    /** rollups.sql's {@code {hits}} for a filter: the hits that match its predicate. */
    static String hits(String predicate) {
        return "(SELECT * FROM hits WHERE " + predicate + ")";
    }

    /**
     * Records that a request asked for the site's filter: the roller registers it and keeps it. At most
     * {@link #MAX_ASKED} different filters wait for the roller's next round; more (a script trying values) are
     * answered from the raw hits and not recorded.
     */
    void want(int siteId, String predicate) {
        Asked filter = new Asked(siteId, predicate);
        if (asked.size() < MAX_ASKED || asked.containsKey(filter)) {
            asked.put(filter, Instant.now());
        }
    }

    /** How many filters wait for the roller's next round. */
    int waiting() {
        return asked.size();
    }

    /** The filter's id, once the roller has registered it. */
    static OptionalInt id(Connection connection, int siteId, String predicate) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT filter_id FROM rollup_filters WHERE site_id = ? AND predicate = ?")) {
            statement.setInt(1, siteId);
            statement.setString(2, predicate);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? OptionalInt.of(row.getInt(1)) : OptionalInt.empty();
            }
        }
    }

    /** The days in {@code [from, to]} that the filter holds. */
    static SortedSet<LocalDate> held(Connection connection, int filterId, LocalDate from, LocalDate to) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT day FROM rollup_filter_days WHERE filter_id = ? AND day BETWEEN ? AND ?")) {
            statement.setInt(1, filterId);
            statement.setObject(2, from);
            statement.setObject(3, to);
            return Rollups.dates(statement);
        }
    }

    /**
     * The site's first rolled day: a filter holds every day from there, and no day before it has hits (every day
     * with hits is rolled or pending, and the pending ones are read fresh).
     */
    static Optional<LocalDate> firstDay(Connection connection, int siteId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT min(day) FROM rollup_days WHERE site_id = ?")) {
            statement.setInt(1, siteId);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return Optional.ofNullable(row.getObject(1, LocalDate.class));
            }
        }
    }

    /** Forgets the site's filters' rows of {@code days} (all of them when empty), so those days are rolled again. */
    static void forgetDays(Connection connection, int siteId, Optional<SortedSet<LocalDate>> days) throws SQLException {
        String which = "filter_id IN (SELECT filter_id FROM rollup_filters WHERE site_id = " + siteId + ")"
                + days.map(some -> " AND day IN (" + LocalDays.list(some) + ")").orElse("");
        for (String table : TABLES) {
            Rollups.execute(connection, "DELETE FROM " + table + " WHERE " + which);
        }
    }

    /** Forgets the filters of sites that are gone. */
    static void forgetGoneSites(Connection connection) throws SQLException {
        forget(connection, "site_id NOT IN (SELECT id FROM sites)");
    }

    /**
     * The roller's first step: registers the filters asked for since (an id each), notes when each was last
     * asked, and drops those not asked for in {@link #FORGOTTEN_AFTER} or beyond a site's {@link #MAX_PER_SITE};
     * answers the filters kept, the most recently asked first.
     */
    List<Filter> register(Connection connection) throws SQLException {
        for (Map.Entry<Asked, Instant> entry : List.copyOf(asked.entrySet())) {
            Asked filter = entry.getKey();
            LocalDateTime when = LocalDateTime.ofInstant(entry.getValue(), ZoneOffset.UTC);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE rollup_filters SET last_used = greatest(last_used, ?) WHERE site_id = ? AND predicate = ?")) {
                update.setObject(1, when);
                update.setInt(2, filter.siteId());
                update.setString(3, filter.predicate());
                if (update.executeUpdate() == 0) {
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO rollup_filters"
                            + " SELECT coalesce(max(filter_id), 0) + 1, ?, ?, ? FROM rollup_filters"
                            + " WHERE EXISTS (SELECT 1 FROM sites WHERE id = ?)")) {
                        insert.setInt(1, filter.siteId());
                        insert.setString(2, filter.predicate());
                        insert.setObject(3, when);
                        insert.setInt(4, filter.siteId());
                        insert.execute();
                    }
                }
            }
            asked.remove(filter, entry.getValue());
        }
        forget(connection, "last_used < TIMESTAMP '" + LocalDateTime.now(ZoneOffset.UTC).minus(FORGOTTEN_AFTER) + "'"
                + " OR filter_id IN (SELECT filter_id FROM (SELECT filter_id, row_number() OVER (PARTITION BY site_id"
                + " ORDER BY last_used DESC, filter_id DESC) AS recent FROM rollup_filters) WHERE recent > " + MAX_PER_SITE + ")");
        forgetGoneSites(connection);
        List<Filter> filters = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT f.filter_id, f.site_id, f.predicate, s.timezone FROM rollup_filters f JOIN sites s ON s.id = f.site_id"
                        + " ORDER BY f.last_used DESC, f.filter_id DESC")) {
            while (rows.next()) {
                filters.add(new Filter(rows.getInt(1), rows.getInt(2), rows.getString(3), ZoneId.of(rows.getString(4))));
            }
        }
        return filters;
    }

    /**
     * Rolls up to {@link #DAYS_PER_ROLL} of the days the filter {@link #lacking lacks} (not yesterday or today:
     * their sessions still link to today's hits, which are rolled again every few seconds, and a request reads
     * them fresh); answers how many days it rolled.
     */
    static int rollSome(Connection connection, Filter filter) throws SQLException {
        SortedSet<LocalDate> lacking = lacking(connection, filter);
        if (lacking.isEmpty()) {
            return 0;
        }
        // a day without a hit or a ping of the site has nothing to roll: held at once, as zeros
        SortedSet<LocalDate> active = activeDays(connection, filter.siteId(), lacking.first(), lacking.last());
        SortedSet<LocalDate> idle = new TreeSet<>(lacking);
        idle.removeAll(active);
        if (!idle.isEmpty()) {
            Rollups.execute(connection, "INSERT INTO rollup_filter_days SELECT " + filter.id() + ", unnest([" + LocalDays.list(idle) + "]), 0, 0, 0");
        }
        SortedSet<LocalDate> chunk = new TreeSet<>();
        for (LocalDate day : lacking) {
            if (chunk.size() == DAYS_PER_ROLL) {
                break;
            }
            if (active.contains(day)) {
                chunk.add(day);
            }
        }
        if (chunk.isEmpty()) {
            return idle.size();
        }
        LocalDays days = new LocalDays(filter.zone());
        if (Rollups.dayStarts(connection, filter.siteId(), days, chunk)) {
            Rollups.fresh(connection, filter.siteId(), hits(filter.predicate()), days, chunk, chunk);
            store(connection, filter.id(), chunk);
            Rollups.execute(connection, "DROP TABLE IF EXISTS roll_pieces");
            Rollups.execute(connection, "DROP TABLE IF EXISTS roll_values");
        }
        return idle.size() + chunk.size();
    }

    /** The site's days in {@code [from, to]} with a hit or a ping: those its own rollups have rows of. */
    private static SortedSet<LocalDate> activeDays(Connection connection, int siteId, LocalDate from, LocalDate to) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT day FROM rollup_days WHERE site_id = ? AND day BETWEEN ? AND ?"
                + " UNION SELECT day FROM rollup_sessions WHERE site_id = ? AND day BETWEEN ? AND ?")) {
            for (int i = 0; i < 2; i++) {
                statement.setInt(1 + 3 * i, siteId);
                statement.setObject(2 + 3 * i, from);
                statement.setObject(3 + 3 * i, to);
            }
            return Rollups.dates(statement);
        }
    }

    /**
     * The days the filter lacks: from the site's first rolled day to the day before yesterday, less those it
     * holds and those with hits not rolled yet; none while the site's rollups are in another zone than the site.
     */
    static SortedSet<LocalDate> lacking(Connection connection, Filter filter) throws SQLException {
        SortedSet<LocalDate> lacking = new TreeSet<>();
        if (!filter.zone().getId().equals(Rollups.rolledZone(connection, filter.siteId()).orElse(""))) {
            return lacking;
        }
        Optional<LocalDate> first = firstDay(connection, filter.siteId());
        LocalDate last = LocalDate.now(filter.zone()).minusDays(2);
        if (first.isEmpty() || first.get().isAfter(last)) {
            return lacking;
        }
        lacking.addAll(first.get().datesUntil(last.plusDays(1)).toList());
        lacking.removeAll(held(connection, filter.id(), first.get(), last));
        lacking.removeAll(Rollups.pendingDays(connection, filter.siteId(), filter.zone(), Optional.of(new LocalDate[] {first.get(), last})));
        return lacking;
    }

    /** Copies {@link Rollups#fresh}'s temporary tables into the filter's, with a row for every day, matched or not. */
    private static void store(Connection connection, int filterId, SortedSet<LocalDate> days) throws SQLException {
        Rollups.execute(connection, "INSERT INTO rollup_filter_days SELECT " + filterId + ", d.day, coalesce(v.pageviews, 0),"
                + " coalesce(v.visitors, 0), coalesce(v.shared_visitors, 0) FROM (SELECT unnest([" + LocalDays.list(days) + "]) AS day) d"
                + " LEFT JOIN roll_values v ON v.day = d.day AND v.dimension = 'total'");
        Rollups.storeListsAndSessions(connection, "rollup_filter_", filterId, days, days);
    }

    private static void forget(Connection connection, String which) throws SQLException {
        String filters = "filter_id IN (SELECT filter_id FROM rollup_filters WHERE " + which + ")";
        for (String table : TABLES) {
            Rollups.execute(connection, "DELETE FROM " + table + " WHERE " + filters);
        }
        Rollups.execute(connection, "DELETE FROM rollup_filters WHERE " + which);
    }

    /** A SQL string literal: the value comes from the request, so its quotes are doubled (DuckDB's only escape). */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
