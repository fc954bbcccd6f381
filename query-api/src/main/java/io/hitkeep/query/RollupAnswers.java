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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Answers a stats request's summary, daily chart and top lists from the rollups: the range's rolled days from
 * the rollup tables, its days with hits not rolled yet (at most {@link #MAX_FRESH_DAYS}, usually today) from
 * the raw hits, computed the same way. Everything is exact, visitors too: an id is salted per UTC day, so a
 * range's visitors are its days' visitors less those each day shares with the day before (migration 016). Only
 * entry and exit pages' visitors come from merged sketches, marked {@code "approximate": true}: which of their
 * sessions enter or leave a range depends on where it starts and ends. A request that the rollups cannot answer
 * ({@link #plan} is empty) is left to the raw hits: filters, a site whose rollups are not caught up or in another
 * zone, or a range with few pageviews, which the hits answer exactly and quickly. Thread-safe.
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

    /** A range split into rolled days and fresh days (whose raw rows are in this connection's roll_* tables). */
    record Plan(int siteId, LocalDate from, LocalDate to, SortedSet<LocalDate> fresh) {
        /** The rolled rows of {@code table} in range, as SQL (dates and ids only, made here). */
        String rolled(String columns, String table) {
            return "SELECT " + columns + " FROM " + table + " WHERE site_id = " + siteId + " AND day BETWEEN DATE '" + from
                    + "' AND DATE '" + to + "' AND day NOT IN (" + LocalDays.list(fresh) + ")";
        }

        /**
         * The fewest sketches that cover the range: its whole months, then the whole weeks (from Monday) around
         * them, then the remaining days; in {@code periods} and {@code days}.
         */
        void cover(List<Rollups.Period> periods, SortedSet<LocalDate> days) {
            LocalDate end = to.plusDays(1);
            LocalDate firstMonth = from.getDayOfMonth() == 1 ? from : from.withDayOfMonth(1).plusMonths(1);
            LocalDate monthsEnd = end.withDayOfMonth(1);
            if (monthsEnd.isAfter(firstMonth)) {
                for (LocalDate month = firstMonth; month.isBefore(monthsEnd); month = month.plusMonths(1)) {
                    periods.add(Rollups.Period.month(month));
                }
                coverWithWeeks(from, firstMonth, periods, days);
                coverWithWeeks(monthsEnd, end, periods, days);
            } else {
                coverWithWeeks(from, end, periods, days);
            }
        }

        private static void coverWithWeeks(LocalDate first, LocalDate end, List<Rollups.Period> periods, SortedSet<LocalDate> days) {
            LocalDate day = first;
            while (day.isBefore(end)) {
                Rollups.Period week = Rollups.Period.week(day);
                if (week.first().equals(day) && !week.end().isAfter(end)) {
                    periods.add(week);
                    day = week.end();
                } else {
                    days.add(day);
                    day = day.plusDays(1);
                }
            }
        }
    }

    /** How to answer from the rollups, or empty when the raw hits must. */
    Optional<Plan> plan(Connection connection, StatsRequest request, ZoneId zone) throws SQLException {
        if (!request.filters().isEmpty()) {
            return Optional.empty();
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
        Plan plan = new Plan(request.siteId(), from, to, fresh);
        if (exactRows > 0 && number(connection, "SELECT coalesce(sum(pageviews), 0) FROM (" + plan.rolled("pageviews", "rollup_days")
                + ")") <= exactRows) {
            return Optional.empty();
        }
        if (!fresh.isEmpty()) {
            LocalDays days = new LocalDays(zone);
            Optional<String> bounds = Rollups.bounds(connection, request.siteId(), days, fresh);
            if (bounds.isEmpty()) {
                return Optional.empty();
            }
            Rollups.fresh(connection, request.siteId(), days, bounds.get(), fresh);
            // the rolled days that share sessions with the fresh ones have stale links (a session that went
            // on into a fresh day ended there when it was rolled): they are read fresh too
            SortedSet<LocalDate> linked = new java.util.TreeSet<>(Rollups.linkedDays(connection).subSet(from, to.plusDays(1)));
            if (!fresh.containsAll(linked)) {
                linked.addAll(fresh);
                plan = new Plan(request.siteId(), from, to, linked);
                Rollups.fresh(connection, request.siteId(), days, bounds.get(), linked);
            }
        }
        return Optional.of(plan);
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
        String freshDays = plan.fresh().isEmpty() ? ""
                : " UNION ALL SELECT day, pageviews, visitors, shared_visitors FROM roll_values WHERE dimension = 'total'";
        long pageviews;
        long visitors;
        try (PreparedStatement statement = Rollups.prepare(connection, "answer-totals",
                Map.of("rows", plan.rolled("day, pageviews, visitors, shared_visitors", "rollup_days") + freshDays),
                Map.of("from", plan.from())); ResultSet row = statement.executeQuery()) {
            row.next();
            pageviews = row.getLong("pageviews");
            visitors = row.getLong("visitors");
        }
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

    /** Pageviews and exact visitors per local day, keyed by the chart's label. */
    Map<String, long[]> chart(Connection connection, Plan plan) throws SQLException {
        String freshDays = plan.fresh().isEmpty() ? ""
                : " UNION ALL SELECT day, pageviews, visitors FROM roll_values WHERE dimension = 'total'";
        Map<String, long[]> found = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(plan.rolled("day, pageviews, visitors", "rollup_days") + freshDays)) {
            while (rows.next()) {
                found.put(rows.getObject(1, LocalDate.class).toString(), new long[] {rows.getLong(2), rows.getLong(3)});
            }
        }
        return found;
    }

    /**
     * Every top list, in the registry's order, into {@code body}: visitors exact from the rollups' sums, but for
     * entry and exit pages, whose come from sketches and are marked {@code "approximate"}.
     */
    void lists(Connection connection, Plan plan, int limit, ObjectNode body) throws SQLException {
        String values = plan.rolled("day, dimension, value, link_day, pageviews, visitors, shared_visitors", "rollup_values")
                + (plan.fresh().isEmpty() ? "" : " UNION ALL SELECT day, dimension, value, NULL::DATE, pageviews, visitors, shared_visitors"
                + " FROM roll_values WHERE dimension <> 'total' AND value <> '' UNION ALL SELECT day, dimension, value, link_day, pageviews,"
                + " NULL, NULL FROM (" + Rollups.text("session-page-rows", Map.of("days", LocalDays.list(plan.fresh()))) + ")");
        Map<String, List<Object[]>> lists = new LinkedHashMap<>();
        List<List<String>> sketched = new ArrayList<>();
        try (PreparedStatement statement = Rollups.prepare(connection, "answer-lists", Map.of("values", values),
                Map.of("from", plan.from(), "to", plan.to(), "limit", limit)); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                String dimension = rows.getString("dimension");
                String value = rows.getString("value");
                Number visitors = (Number) rows.getObject("visitors");
                lists.computeIfAbsent(dimension, ignored -> new ArrayList<>())
                        .add(new Object[] {value, rows.getLong("pageviews"), visitors == null ? null : visitors.longValue()});
                if (visitors == null) {
                    sketched.add(List.of(dimension, value));
                }
            }
        }
        Map<List<String>, Long> estimates = visitors(connection, plan, sketched);
        for (Dimension dimension : Dimension.lists()) {
            String name = dimension.listName().orElseThrow();
            List<Object[]> rows = lists.getOrDefault(name, new ArrayList<>());
            // the same order as the raw lists: pageviews, then value
            rows.sort((a, b) -> ((Long) b[1]).equals(a[1]) ? ((String) a[0]).compareTo((String) b[0]) : Long.compare((Long) b[1], (Long) a[1]));
            ArrayNode list = body.putArray(name);
            for (Object[] row : rows) {
                ObjectNode entry = list.addObject().put("value", (String) row[0]).put("pageviews", (Long) row[1]);
                if (row[2] != null) {
                    entry.put("visitors", (Long) row[2]);
                } else {
                    entry.put("visitors", estimates.getOrDefault(List.of(name, (String) row[0]), 0L)).put("approximate", true);
                }
            }
        }
    }

    /**
     * The distinct visitors of each (list, value) over the range: the union of the sketches of its whole months
     * and of its other days, and of the visitors of its fresh days.
     */
    private static Map<List<String>, Long> visitors(Connection connection, Plan plan, List<List<String>> keys) throws SQLException {
        Map<List<String>, VisitorSketch> unions = new HashMap<>();
        if (keys.isEmpty()) {
            return Map.of();
        }
        java.util.Set<List<String>> wantedKeys = new java.util.HashSet<>(keys);
        List<Rollups.Period> periods = new ArrayList<>();
        SortedSet<LocalDate> days = new java.util.TreeSet<>();
        plan.cover(periods, days);
        String wanted = " AND dimension || chr(31) || value IN (" + String.join(", ", keys.stream().map(key -> "?").toList()) + ")";
        String inPeriods = periods.isEmpty() ? "false" : periods.stream().map(period -> "(period = '" + period.name()
                + "' AND first_day = DATE '" + period.first() + "')").collect(java.util.stream.Collectors.joining(" OR "));
        String sql = "SELECT dimension, value, sketch FROM rollup_period_sketches WHERE site_id = " + plan.siteId()
                + " AND (" + inPeriods + ")" + wanted
                + " UNION ALL SELECT dimension, value, sketch FROM rollup_day_sketches WHERE site_id = " + plan.siteId()
                + " AND day BETWEEN DATE '" + plan.from() + "' AND DATE '" + plan.to() + "'"
                // a session enters a range at its first day in range with a pageview, and leaves at its last
                + " AND CASE WHEN link_day IS NULL THEN day IN (" + LocalDays.list(days) + ")"
                + " WHEN dimension = 'entry_pages' THEN link_day < DATE '" + plan.from() + "'"
                + " ELSE link_day > DATE '" + plan.to() + "' END" + wanted;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int parameter = 1;
            for (int copy = 0; copy < 2; copy++) {
                for (List<String> key : keys) {
                    statement.setString(parameter++, key.get(0) + (char) 31 + key.get(1));
                }
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    unions.computeIfAbsent(List.of(rows.getString(1), rows.getString(2)), ignored -> new VisitorSketch()).add(rows.getBytes(3));
                }
            }
        }
        if (!plan.fresh().isEmpty()) {
            // the fresh days' visitors themselves: their sketches, if any, are from before their newest hits
            String fresh = "SELECT dimension, value, visitors FROM ("
                    + Rollups.text("session-page-rows", Map.of("days", LocalDays.list(plan.fresh()))) + ") WHERE"
                    + " dimension = 'entry_pages' AND (link_day IS NULL OR link_day < DATE '" + plan.from() + "')"
                    + " OR dimension = 'exit_pages' AND (link_day IS NULL OR link_day > DATE '" + plan.to() + "')";
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(fresh)) {
                while (rows.next()) {
                    List<String> key = List.of(rows.getString(1), rows.getString(2));
                    if (wantedKeys.contains(key)) {
                        VisitorSketch union = unions.computeIfAbsent(key, ignored -> new VisitorSketch());
                        for (Object id : (Object[]) rows.getArray(3).getArray()) {
                            if (id != null) {
                                union.add(((Number) id).longValue());
                            }
                        }
                    }
                }
            }
        }
        Map<List<String>, Long> estimates = new HashMap<>();
        unions.forEach((key, union) -> estimates.put(key, union.estimate()));
        return estimates;
    }

    private static long number(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
