package io.hitkeep.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Answers a stats request's summary, daily chart and top lists from the rollups: the range's rolled days from
 * the rollup tables, its days with hits not rolled yet (at most {@link #MAX_FRESH_DAYS}, usually today) from
 * the raw hits, computed the same way. Everything is exact, visitors too: an id is salted per UTC day, so a
 * range's visitors are its days' visitors less those each day shares with the day before (migrations 016 and
 * 017; for entry and exit pages, under links that say which ranges count them). A filtered range reads its
 * filter's rollups the same way ({@link FilterRollups}, once the roller has rolled them). A request that the rollups
 * cannot answer ({@link #plan} is empty) is left to the raw hits: a filter not rolled yet or on events, goals or
 * properties, a site whose rollups are not caught up or in another zone, or a range with few pageviews, which the
 * hits answer exactly and quickly. Thread-safe.
 */
final class RollupAnswers {
    /**
     * The default of {@code rollup-exact-rows}: ranges with at most this many pageviews are answered from the
     * raw hits, exactly, in about the time the rollups take (measured in BENCHMARKS.md).
     */
    static final int EXACT_ROWS = 100_000;
    /** More days than this not rolled yet (a start still catching up): the raw hits answer. */
    static final int MAX_FRESH_DAYS = 3;
    /**
     * The default of {@code rollup-catchup-raw-rows}: while its days are still being rolled, a range with more
     * hits than this gets a quick 503 rather than a raw answer. 10M hits over 12 months take about 30 s raw
     * beside the roller and can run out of DuckDB's memory (BENCHMARKS.md, "Answers while the rollups catch
     * up"); two million, two months of such a site, answer in a few seconds.
     */
    static final int CATCHUP_RAW_ROWS = 2_000_000;

    private final Rollups rollups;
    private final long exactRows;
    private final long catchUpRawRows;

    /**
     * {@code exactRows}: a range with at most this many pageviews is answered from the raw hits, exactly; 0
     * sends every range it can to the rollups (tests of both paths).
     */
    RollupAnswers(Rollups rollups, long exactRows) {
        this(rollups, exactRows, CATCHUP_RAW_ROWS);
    }

    /** {@code catchUpRawRows}: see {@link #CATCHUP_RAW_ROWS}; 0 answers any range from the raw hits while rolling. */
    RollupAnswers(Rollups rollups, long exactRows, long catchUpRawRows) {
        this.rollups = rollups;
        this.exactRows = exactRows;
        this.catchUpRawRows = catchUpRawRows;
    }

    /**
     * A range split into rolled days and fresh days, whose raw rows are in this connection's roll_* tables: the
     * sessions' pieces of {@code fresh} days (roll_pieces), and the pageviews and visitors of {@code freshValues}
     * days (roll_values; a day whose sessions' links changed but not its hits keeps its rolled values). Of the site's
     * rollups, or of one of its filters' ({@code filterId}, not 0; {@code hits} then the filter's hits). {@code days}:
     * each day's pageviews, visitors and visitors shared with the day before (the summary's totals and the chart), read
     * once: rolled days as the plan found them, fresh ones from roll_values.
     */
    record Plan(int siteId, int filterId, String hits, LocalDate from, LocalDate to, SortedSet<LocalDate> fresh,
                SortedSet<LocalDate> freshValues, SortedMap<LocalDate, long[]> days) {
        /** Of the site's own rollups, before its fresh days are read. */
        Plan(int siteId, LocalDate from, LocalDate to, SortedSet<LocalDate> fresh) {
            this(siteId, 0, Rollups.ALL_HITS, from, to, fresh, fresh, new TreeMap<>());
        }

        /** Of a filter's rollups, before its fresh days are read. */
        Plan(int siteId, int filterId, String hits, LocalDate from, LocalDate to, SortedSet<LocalDate> fresh) {
            this(siteId, filterId, hits, from, to, fresh, fresh, new TreeMap<>());
        }

        /**
         * The rolled rows of {@code table} (the site's: rollup_days, rollup_sessions, rollup_values) in range, as SQL
         * (dates and ids only, made here); a filter's from its table of that shape. Entry and exit pages' rows come
         * from the sessions' pieces, the other values' from the values.
         */
        String rolled(String columns, String table) {
            String rows = filterId == 0 ? table + " WHERE site_id = " + siteId
                    : table.replace("rollup_", "rollup_filter_") + " WHERE filter_id = " + filterId;
            String sessionDays = "day NOT IN (" + LocalDays.list(fresh) + ")";
            String valueDays = "day NOT IN (" + LocalDays.list(freshValues) + ")";
            String notFresh = switch (table) {
                case "rollup_days" -> valueDays;
                case "rollup_sessions" -> sessionDays;
                default -> Rollups.byList(sessionDays, valueDays);
            };
            return "SELECT " + columns + " FROM " + rows + " AND day BETWEEN DATE '" + from
                    + "' AND DATE '" + to + "' AND " + notFresh;
        }

        Plan withFresh(SortedSet<LocalDate> days, SortedSet<LocalDate> values) {
            return new Plan(siteId, filterId, hits, from, to, days, values, this.days);
        }

        /** As it is, with {@code days} for its days' figures. */
        Plan withDays(SortedMap<LocalDate, long[]> days) {
            return new Plan(siteId, filterId, hits, from, to, fresh, freshValues, days);
        }
    }

    /** How to answer from the rollups (the site's, or its filter's), or empty when the raw hits must. */
    Optional<Plan> plan(Connection connection, StatsRequest request, ZoneId zone) throws SQLException {
        if (!request.filters().isEmpty()) {
            return filtered(connection, request, zone);
        }
        LocalDate from = LocalDate.parse(request.from());
        LocalDate to = LocalDate.parse(request.to());
        if (!rollups.caughtUp() || !zone.getId().equals(Rollups.rolledZone(connection, request.siteId()).orElse(""))) {
            return rawWhileRolling(connection, request.siteId(), new LocalDays(zone), from, to);
        }
        SortedSet<LocalDate> fresh = Rollups.pendingDays(connection, request.siteId(), zone, Optional.of(new LocalDate[] {from, to}));
        if (fresh.size() > MAX_FRESH_DAYS) {
            return rawWhileRolling(connection, request.siteId(), new LocalDays(zone), from, to);
        }
        return withFreshDays(connection, new Plan(request.siteId(), from, to, fresh), zone, new java.util.TreeSet<>());
    }

    /**
     * A filtered range from its filter's rollups (FilterRollups) once the roller holds all but a few of its days;
     * until then (and for filters on events, goals or properties) the raw hits answer. Records that the filter
     * was asked for either way, so the roller builds it and keeps it.
     */
    private Optional<Plan> filtered(Connection connection, StatsRequest request, ZoneId zone) throws SQLException {
        Optional<String> predicate = FilterRollups.predicate(request);
        if (predicate.isEmpty() || !rollups.caughtUp() || !zone.getId().equals(Rollups.rolledZone(connection, request.siteId()).orElse(""))) {
            return Optional.empty();
        }
        rollups.filters().want(request.siteId(), predicate.get());
        java.util.OptionalInt filterId = FilterRollups.id(connection, request.siteId(), predicate.get());
        Optional<LocalDate> first = FilterRollups.firstDay(connection, request.siteId());
        if (filterId.isEmpty() || first.isEmpty()) {
            return Optional.empty();
        }
        LocalDate from = LocalDate.parse(request.from());
        LocalDate to = LocalDate.parse(request.to());
        LocalDate today = LocalDate.now(zone);
        // the days with data that the filter does not hold, and those with hits not rolled yet
        SortedSet<LocalDate> missing = new java.util.TreeSet<>();
        LocalDate start = from.isBefore(first.get()) ? first.get() : from;
        LocalDate end = to.isAfter(today) ? today : to;
        if (!start.isAfter(end)) {
            missing.addAll(start.datesUntil(end.plusDays(1)).toList());
            missing.removeAll(FilterRollups.held(connection, filterId.getAsInt(), start, end));
        }
        SortedSet<LocalDate> fresh = new java.util.TreeSet<>(missing);
        fresh.addAll(Rollups.pendingDays(connection, request.siteId(), zone, Optional.of(new LocalDate[] {from, to})));
        if (fresh.size() > MAX_FRESH_DAYS) {
            return Optional.empty();
        }
        return withFreshDays(connection, new Plan(request.siteId(), filterId.getAsInt(), FilterRollups.hits(predicate.get()), from, to,
                fresh), zone, missing);
    }

    /**
     * The plan, with its fresh days computed from the raw hits (and the rolled days linked to them); empty when
     * the range has so few pageviews that the raw hits answer it as quickly. {@code missing}: the fresh days that
     * a filter does not hold at all (not only their newest hits are new to it).
     */
    private Optional<Plan> withFreshDays(Connection connection, Plan plan, ZoneId zone, SortedSet<LocalDate> missing)
            throws SQLException {
        LocalDate from = plan.from();
        LocalDate to = plan.to();
        SortedSet<LocalDate> fresh = plan.fresh();
        // the rolled days' figures, read once for the check below, the summary's totals and the chart
        SortedMap<LocalDate, long[]> rolledDays = dayFigures(connection, plan.rolled("day, pageviews, visitors, shared_visitors",
                "rollup_days"));
        if (exactRows > 0 && rolledDays.values().stream().mapToLong(figures -> figures[0]).sum() <= exactRows) {
            return Optional.empty();
        }
        if (!fresh.isEmpty()) {
            LocalDays days = new LocalDays(zone);
            if (!Rollups.rolledDayStarts(connection, plan.siteId(), days, fresh)) {
                return Optional.empty();
            }
            // the values of the fresh days, and of the day after each, whose visitors shared with it changed with it
            SortedSet<LocalDate> values = new java.util.TreeSet<>(fresh);
            fresh.forEach(day -> {
                if (!day.plusDays(1).isAfter(to)) {
                    values.add(day.plusDays(1));
                }
            });
            // the sessions of those days, and of the day before each missing one: every session of a missing day is
            // new to the filter, and some ran past its midnight (below), so that day is read at once, not found
            // linked and read again (tens of milliseconds even for a day)
            SortedSet<LocalDate> read = new java.util.TreeSet<>(values);
            missing.forEach(day -> {
                if (!day.minusDays(1).isBefore(from)) {
                    read.add(day.minusDays(1));
                }
            });
            plan = plan.withFresh(read, values);
            Rollups.fresh(connection, plan.siteId(), plan.hits(), days, read, values);
            // the rolled days that share sessions with new hits have stale links (a session that went on into a
            // fresh day ended there when it was rolled): they are read fresh too
            String changed = Rollups.pendingHours(connection, plan.siteId()) + (missing.isEmpty() ? "" : " OR " + days.timestampIn(missing));
            SortedSet<LocalDate> linked = new java.util.TreeSet<>(Rollups.staleLinkedDays(connection, plan.siteId(), plan.hits(), changed)
                    .subSet(from, to.plusDays(1)));
            // and so do the days after them, which count the entry and exit visitors they share under both days' links
            new java.util.ArrayList<>(linked).forEach(day -> {
                if (!day.isAfter(to.minusDays(1))) {
                    linked.add(day.plusDays(1));
                }
            });
            if (!read.containsAll(linked)) {
                linked.addAll(read);
                plan = plan.withFresh(linked, values);
                // their sessions only: the values of the days read are in roll_values already
                Rollups.pieces(connection, plan.siteId(), plan.hits(), days, linked);
            }
        }
        // a day read fresh for its values leaves its rolled figures out (the day after a fresh one, whose shared visitors
        // changed with it)
        SortedMap<LocalDate, long[]> figures = new TreeMap<>(rolledDays);
        figures.keySet().removeAll(plan.freshValues());
        if (!plan.fresh().isEmpty()) {
            figures.putAll(dayFigures(connection, "SELECT day, pageviews, visitors, shared_visitors FROM roll_values WHERE dimension = 'total'"));
        }
        return Optional.of(plan.withDays(figures));
    }

    /**
     * Each day's pageviews, visitors and visitors shared with the day before, from {@code rows} (SQL of those columns;
     * rows of one day add up).
     */
    static SortedMap<LocalDate, long[]> dayFigures(Connection connection, String rows) throws SQLException {
        SortedMap<LocalDate, long[]> days = new TreeMap<>();
        // prepared, not a plain statement: a pooled connection keeps it for the same range asked again
        try (PreparedStatement statement = connection.prepareStatement(rows); ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                days.merge(row.getObject(1, LocalDate.class), new long[] {row.getLong(2), row.getLong(3), row.getLong(4)},
                        (one, other) -> new long[] {one[0] + other[0], one[1] + other[1], one[2] + other[2]});
            }
        }
        return days;
    }

    /**
     * The raw hits answer a range whose days are still being rolled (a start catching up on restored or
     * imported hits, a site rolled again): unless it has more than {@code catchUpRawRows} hits, which would
     * keep the request and DuckDB's memory busy for many seconds beside the roller. That is a quick 503
     * ({@code Retry-After}) that says why; the dashboard's shorter ranges still answer meanwhile.
     */
    private Optional<Plan> rawWhileRolling(Connection connection, int siteId, LocalDays days, LocalDate from, LocalDate to)
            throws SQLException {
        if (catchUpRawRows > 0 && number(connection, "SELECT count(*) FROM hits WHERE site_id = " + siteId
                + " AND timestamp >= TIMESTAMP '" + days.start(from) + "' AND timestamp < TIMESTAMP '" + days.start(to.plusDays(1))
                + "'") > catchUpRawRows) {
            throw DomainError.unavailable("the figures of this range are still being rolled up after a start or a rebuild"
                    + " (/metrics: hitkeep_rollups_pending_hours); shorter ranges answer meanwhile, try again in a minute",
                    java.time.Duration.ofMinutes(1));
        }
        return Optional.empty();
    }

    /** Drops what the plan computed for its fresh days, so a pooled connection does not keep it. */
    static void release(Connection connection, Plan plan) throws SQLException {
        if (!plan.fresh().isEmpty()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS roll_pieces");
                statement.execute("DROP TABLE IF EXISTS roll_values");
            }
        }
    }

    ObjectNode summary(Connection connection, Plan plan) throws SQLException {
        long[] totals = totals(plan.days(), plan.from());
        long pageviews = totals[0];
        long visitors = totals[1];
        String pieces = plan.rolled("prev_pageview_day, next_pageview_day, next_active_day, last_pageview_day, starts, singles,"
                + " first_pageview_us, last_active_us", "rollup_sessions")
                + (plan.fresh().isEmpty() ? "" : " UNION ALL SELECT * EXCLUDE (day) FROM ("
                + Rollups.text("session-rows", Map.of("days", LocalDays.list(plan.fresh()))) + ")");
        long sessions;
        long bounces;
        double durationMicros;
        try (PreparedStatement statement = Rollups.prepare(connection, "answer-summary", Map.of("pieces", pieces),
                Map.of("from", plan.from(), "to", plan.to())); ResultSet row = statement.executeQuery()) {
            row.next();
            sessions = row.getLong("sessions");
            bounces = row.getLong("bounces");
            durationMicros = row.getDouble("duration_us");
        }
        ObjectNode summary = Json.object();
        summary.put("pageviews", pageviews);
        summary.put("visitors", visitors);
        summary.put("sessions", sessions);
        summary.put("bounce_rate", sessions == 0 ? 0 : Stats.round(100.0 * bounces / sessions));
        summary.put("avg_session_duration", sessions == 0 ? 0 : Stats.round(durationMicros / 1e6 / sessions));
        summary.put("pages_per_session", sessions == 0 ? 0 : Stats.round((double) pageviews / sessions));
        return summary;
    }

    /**
     * A range's pageviews and exact visitors from its days' figures ({@link #dayFigures}): the site's, or one filtered
     * value's ({@link RolledFilter}). The days' visitors less those each day after the first shared with the day before.
     */
    static long[] totals(SortedMap<LocalDate, long[]> days, LocalDate from) {
        long pageviews = 0;
        long visitors = 0;
        for (Map.Entry<LocalDate, long[]> day : days.entrySet()) {
            pageviews += day.getValue()[0];
            visitors += day.getValue()[1] - (day.getKey().isAfter(from) ? day.getValue()[2] : 0);
        }
        return new long[] {pageviews, visitors};
    }

    /** Pageviews and exact visitors per local day, keyed by the chart's label, from the days' figures ({@link #dayFigures}). */
    static Map<String, long[]> chart(SortedMap<LocalDate, long[]> days) {
        Map<String, long[]> found = new HashMap<>();
        days.forEach((day, figures) -> found.put(day.toString(), new long[] {figures[0], figures[1]}));
        return found;
    }

    /** Every top list, in the registry's order, into {@code body}: pageviews and visitors from the rollups' sums. */
    void lists(Connection connection, Plan plan, int limit, ObjectNode body) throws SQLException {
        String values = plan.rolled("day, dimension, value, link_day, pageviews, visitors, shared_visitors", "rollup_values")
                + (plan.fresh().isEmpty() ? "" : " UNION ALL SELECT day, dimension, value, NULL::DATE, pageviews, visitors, shared_visitors"
                + " FROM roll_values WHERE dimension <> 'total' AND value <> '' UNION ALL SELECT * FROM ("
                + Rollups.text("session-page-rows", Map.of("days", LocalDays.list(plan.fresh()))) + ")");
        Map<String, ArrayNode> lists = new LinkedHashMap<>();
        for (Dimension dimension : Dimension.lists()) {
            lists.put(dimension.listName().orElseThrow(), body.putArray(dimension.listName().orElseThrow()));
        }
        // in the raw lists' order: by list, pageviews, then value
        try (PreparedStatement statement = Rollups.prepare(connection, "answer-lists", Map.of("values", values),
                Map.of("from", plan.from(), "to", plan.to(), "limit", limit)); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                lists.get(rows.getString("dimension")).addObject().put("value", rows.getString("value"))
                        .put("pageviews", rows.getLong("pageviews")).put("visitors", rows.getLong("visitors"));
            }
        }
    }

    private static long number(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
