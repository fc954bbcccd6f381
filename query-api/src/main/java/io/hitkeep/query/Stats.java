package io.hitkeep.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.StoreOperation;
import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.writer.ArchivedMonths;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.Sql;
import io.hitkeep.writer.SqlFile;
import io.hitkeep.core.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers a stats request with the contract's JSON: summary, chart and every top list, for a range of
 * local days in the site's time zone. Each part is one SQL file in {@code sql/} run over {@code scoped},
 * the site's rows in the range after filters. Thread-safe.
 */
public final class Stats {
    /** A JsonNode: the contract's stats JSON, built part by part from the SQL and passed on to HTTP clients as it is. */
    public static final StoreOperation<Query, JsonNode> QUERY = StoreOperation.of("stats.query", Query.class, JsonNode.class);
    /**
     * A share link's stats: the link is looked up again on every query, so a revoked link stops answering
     * at once; its site replaces the request's. A JsonNode like {@link #QUERY}'s answer.
     */
    public static final StoreOperation<SharedQuery, JsonNode> SHARED = StoreOperation.of("stats.shared", SharedQuery.class, JsonNode.class);
    public static final StoreOperation<Sites.SiteRef, Live> LIVE = StoreOperation.of("stats.live", Sites.SiteRef.class, Live.class);

    public record Query(io.hitkeep.core.Scope scope, StatsRequest request) {}

    public record SharedQuery(String tokenHash, StatsRequest request) {}

    /**
     * What the dashboard polls every few seconds: the visitors of the last five minutes, and that time's pages and
     * sources with their visitors.
     */
    public record Live(long liveVisitors, List<LiveRow> pages, List<LiveRow> sources) {
        public Live {
            pages = pages == null ? List.of() : List.copyOf(pages);
            sources = sources == null ? List.of() : List.copyOf(sources);
        }
    }

    public record LiveRow(String value, long visitors) {
    }

    private static final String SUMMARY = Database.resource(Stats.class, "sql/stats_summary.sql");
    private static final String CHART = Database.resource(Stats.class, "sql/stats_chart.sql");
    private static final String LISTS = Dimension.withTopLists(Database.resource(Stats.class, "sql/stats_lists.sql"));
    private static final String ESTIMATED_LISTS = Dimension.withTopLists(Database.resource(Stats.class, "sql/stats_lists_estimated.sql"));
    private static final String SESSION_PAGES = Database.resource(Stats.class, "sql/stats_session_pages.sql");
    private static final String SESSIONS = Database.resource(Stats.class, "sql/stats_sessions.sql");
    private static final String EVENTS = Database.resource(Stats.class, "sql/stats_events.sql");
    /** The fixed statements of the stats, the live panel's; the others are composed over the request's rows. */
    private enum Statement implements SqlFile.Named {
        LIVE_VISITORS, LIVE_PAGES, LIVE_SOURCES;

        @Override
        public String file() {
            return "sql/stats_live.sql";
        }
    }
    /** Whether a range has what some parts read, asked before running those parts. */
    private enum Presence implements SqlFile.Named {
        EVENTS_IN_RANGE;

        @Override
        public String file() {
            return "sql/stats_presence.sql";
        }
    }
    private static final String EVENT_PROPS = Database.resource(Stats.class, "sql/stats_event_props.sql");

    /** Rows of the live panel's lists. */
    private static final int LIVE_LIMIT = 10;

    private final Database database;
    /** Answers long ranges from the rollups; empty: always from the raw hits. */
    private final Optional<RollupAnswers> rollups;
    /** Top lists over more pageviews than this, read from the raw hits, estimate their visitors. */
    private final long countedListRows;

    /** Every figure from the raw hits, counted exactly (the reference the tests compare with). */
    Stats(Database database) {
        this(database, Optional.empty(), Long.MAX_VALUE);
    }

    Stats(Database database, Optional<RollupAnswers> rollups) {
        this(database, rollups, Long.MAX_VALUE);
    }

    /**
     * {@code countedListRows}: raw top lists over more pageviews than this (a filtered long range of a big
     * site, which the rollups cannot answer) estimate each row's visitors and mark it {@code "approximate"},
     * as the rollups' rows are: counting them kept a few seconds of distinct counts per value and visitor.
     */
    Stats(Database database, Optional<RollupAnswers> rollups, long countedListRows) {
        this.database = database;
        this.rollups = rollups;
        this.countedListRows = countedListRows;
    }

    /** The site's rows in range after filters, as SQL with its parameters. */
    record Rows(String sql, List<Object> parameters) {
    }

    ObjectNode answer(StatsRequest request, ZoneId zone) {
        LocalDate from = LocalDate.parse(request.from());
        LocalDate to = LocalDate.parse(request.to());
        LocalDateTime start = from.atStartOfDay(zone).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
        LocalDateTime end = to.plusDays(1).atStartOfDay(zone).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
        boolean hourly = from.equals(to);
        return database.read(sql -> {
            Connection connection = sql.connection();
            // months that retention moved to Parquet files are read from there (the tables' names otherwise)
            ArchivedMonths.Sources sources = ArchivedMonths.sources(sql, database.file().getParent(), request.siteId(), start, end);
            Rows pings = new Rows("SELECT session_id, max(timestamp) AS last_seen FROM " + sources.of("engagements") + " WHERE site_id = ?"
                    + " AND timestamp >= CAST(? AS TIMESTAMP) AND timestamp < CAST(? AS TIMESTAMP) GROUP BY session_id",
                    List.of(request.siteId(), start.toString(), end.toString()));
            Map<String, Goals.Goal> goalFilters = goalFilters(sql, request);
            Rows hits = scope("hits", sources, request, start, end, goalFilters);
            Rows events = scope("events", sources, request, start, end, goalFilters);
            // months moved to Parquet files have no hits left to roll: the raw path reads them there. A filtered
            // request reads its filter's rollups once the roller has rolled them (FilterRollups)
            Optional<RollupAnswers.Plan> rolled = !sources.archived() && (request.wants("summary") || request.wants("lists")
                    || request.wants("chart") && !hourly)
                    ? rollups.flatMap(answers -> planned(using -> answers.plan(using, request, zone), connection)) : Optional.empty();
            // until then, a filter on one dimension with a top list: its pageviews and visitors, in total and per day,
            // are in the site's rollups
            Optional<RolledFilter> rolledFilter = rolled.isEmpty() && !sources.archived() && (request.wants("summary")
                    || request.wants("chart") && !hourly)
                    ? rollups.flatMap(answers -> planned(using -> RolledFilter.plan(answers, using, request, zone), connection)) : Optional.empty();
            ObjectNode body = Json.object();
            if (request.wants("summary")) {
                ObjectNode summary;
                if (rolled.isPresent()) {
                    summary = rollups.get().summary(connection, rolled.get());
                } else {
                    summary = summary(connection, hits, pings, rolledFilter.isPresent() ? Optional.of(rolledFilter.get().totals(connection))
                            : Optional.empty());
                }
                summary.put("live_visitors", live(sql, request.siteId()));
                body.set("summary", summary);
            }
            if (request.wants("chart")) {
                if (rolled.isPresent() && !hourly) {
                    body.set("chart", buckets(RollupAnswers.chart(rolled.get().days()), from, to, false));
                } else if (rolledFilter.isPresent() && !hourly) {
                    body.set("chart", buckets(rolledFilter.get().chart(connection), from, to, false));
                } else {
                    body.set("chart", chart(connection, hits, zone, from, to, hourly));
                }
            }
            if (rolledFilter.isPresent()) {
                rolledFilter.get().release(connection);
            }
            if (request.wants("lists") && rolled.isPresent()) {
                rollups.get().lists(connection, rolled.get(), request.limit(), body);
            } else if (request.wants("lists")) {
                // the summary's pageviews when it was asked for too: the same count, not run twice
                long pageviews = body.has("summary") ? body.get("summary").get("pageviews").asLong() : figure(connection, "count(*)", hits);
                lists(connection, hits, request.limit(), pageviews > countedListRows, body);
            }
            // no event in range (most sites send none): the events' parts are empty, not asked; archived months'
            // events are in their files, so a range over them always asks. Asked here, after the hits' parts, as the
            // events' statements were: events that land while the hits' parts run are counted, as before
            boolean anyEvents = (request.wants("events") || request.wants("goals"))
                    && (sources.archived() || sql.number(Presence.EVENTS_IN_RANGE, "site_id", request.siteId(),
                    "start", start.toString(), "end", end.toString()) != 0);
            if (request.wants("events")) {
                body.set("events", anyEvents ? rows(connection, EVENTS, events, request.limit()) : Json.MAPPER.createArrayNode());
                body.set("event_props", anyEvents ? eventProps(connection, events, request.limit()) : Json.MAPPER.createArrayNode());
                if (!request.breakdownProperty().isEmpty()) {
                    body.set("events_by_prop", anyEvents ? PropertyBreakdown.events(connection, events, request.breakdownProperty(),
                            request.limit()) : Json.MAPPER.createArrayNode());
                }
            }
            if (request.wants("goals")) {
                // the summary's visitors when it was asked for too: the same count, not run twice
                long visitors = body.has("summary") ? body.get("summary").get("visitors").asLong() : figure(connection, "count(DISTINCT visitor_id)", hits);
                body.set("goals", goals(sql, request.siteId(), hits, anyEvents ? Optional.of(events) : Optional.empty(), visitors));
                if (!request.breakdownProperty().isEmpty()) {
                    body.set("goals_by_prop", anyEvents ? PropertyBreakdown.goals(sql, request.siteId(), events, request.breakdownProperty(),
                            request.limit(), visitors) : Json.MAPPER.createArrayNode());
                }
            }
            if (rolled.isPresent()) {
                RollupAnswers.release(connection, rolled.get());
            }
            return body;
        });
    }

    /** A plan of the rollups ({@link RollupAnswers#plan}, {@link RolledFilter#plan}); a failure to read them is an error. */
    private static <T> Optional<T> planned(Database.SqlFunction<Connection, Optional<T>> plan, Connection connection) {
        try {
            return plan.apply(connection);
        } catch (SQLException e) {
            throw new io.hitkeep.core.HitKeepException("cannot plan the rollups: " + e.getMessage(), e);
        }
    }

    /**
     * Every top list, in the registry's order: those over pageviews by value from one query over {@code scoped},
     * their visitors counted or (over a large scope) estimated and marked; entry and exit pages from another,
     * counted.
     */
    private static void lists(Connection connection, Rows hits, int limit, boolean estimated, ObjectNode body) throws SQLException {
        Map<String, ArrayNode> lists = new LinkedHashMap<>();
        for (Dimension dimension : Dimension.lists()) {
            lists.put(dimension.listName().orElseThrow(), body.putArray(dimension.listName().orElseThrow()));
        }
        addRows(connection, estimated ? ESTIMATED_LISTS : LISTS, hits, limit, estimated, lists);
        addRows(connection, SESSION_PAGES, hits, limit, false, lists);
    }

    /** The rows of a lists query ({@code list, value, pageviews, visitors}) into their lists. */
    private static void addRows(Connection connection, String query, Rows hits, int limit, boolean estimated,
                                Map<String, ArrayNode> lists) throws SQLException {
        try (PreparedStatement statement = prepare(connection, query, hits, Optional.empty(), List.of(limit));
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                ObjectNode row = lists.get(rows.getString("list")).addObject().put("value", rows.getString("value"))
                        .put("pageviews", rows.getLong("pageviews")).put("visitors", rows.getLong("visitors"));
                if (estimated) {
                    row.put("approximate", true);
                }
            }
        }
    }

    /** The goals that {@code filter=goal:<name>} names, by name; an unknown name is refused. */
    static Map<String, Goals.Goal> goalFilters(Sql sql, StatsRequest request) throws SQLException {
        Map<String, Goals.Goal> goals = new LinkedHashMap<>();
        for (StatsRequest.Filter filter : request.filters()) {
            if (filter.of() == Dimension.GOAL) {
                goals.put(filter.value(), Goals.named(sql, request.siteId(), filter.value())
                        .orElseThrow(() -> DomainError.invalid("the site has no goal named '" + filter.value() + "'")));
            }
        }
        return goals;
    }

    /**
     * Per goal: the visitors who reached it and how often it was reached (each matching pageview or event is a
     * conversion), and those visitors as a share of all the range's visitors. {@code events}: empty when the range
     * has none (its event goals converted nobody).
     */
    private static ArrayNode goals(Sql sql, int siteId, Rows hits, Optional<Rows> events, long visitors) throws SQLException {
        Connection connection = sql.connection();
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Goals.Goal goal : Goals.of(sql, siteId)) {
            long converted = 0;
            long conversions = 0;
            Optional<Rows> rows = goal.type() == Goals.Type.PAGEVIEW ? Optional.of(hits) : events;
            if (rows.isPresent()) {
                try (PreparedStatement statement = prepare(connection, "SELECT count(DISTINCT visitor_id), count(*) FROM scoped WHERE "
                        + goal.condition(), rows.get(), Optional.empty(), goal.parameters()); ResultSet row = statement.executeQuery()) {
                    row.next();
                    converted = row.getLong(1);
                    conversions = row.getLong(2);
                }
            }
            list.addObject().put("id", goal.id()).put("name", goal.name()).put("visitors", converted)
                    .put("conversions", conversions)
                    .put("conversion_rate", visitors == 0 ? 0 : round(100.0 * converted / visitors));
        }
        return list;
    }

    /** One figure over the scoped rows, e.g. {@code count(*)}. */
    private static long figure(Connection connection, String aggregate, Rows hits) throws SQLException {
        try (PreparedStatement statement = prepare(connection, "SELECT " + aggregate + " FROM scoped", hits);
             ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static String from(ArchivedMonths.Sources sources, String table) throws SQLException {
        return sources == null ? table : sources.of(table);
    }

    /** {@code sources} (null: the live tables only) adds the site's archived months inside the range. */
    static Rows scope(String table, ArchivedMonths.Sources sources, StatsRequest request, LocalDateTime start,
                              LocalDateTime end, Map<String, Goals.Goal> goalFilters) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT * FROM ").append(from(sources, table))
                .append(" WHERE site_id = ? AND timestamp >= CAST(? AS TIMESTAMP) AND timestamp < CAST(? AS TIMESTAMP)");
        List<Object> parameters = new ArrayList<>(List.of(request.siteId(), start.toString(), end.toString()));
        for (StatsRequest.Filter filter : request.filters()) {
            Dimension dimension = filter.of();
            if (dimension == Dimension.GOAL) {
                // a goal filter keeps the visitors who reached the goal in the range
                Goals.Goal goal = goalFilters.get(filter.value());
                sql.append(" AND visitor_id IN (SELECT visitor_id FROM ").append(from(sources, goal.table()))
                        .append(" WHERE site_id = ? AND timestamp >= CAST(? AS TIMESTAMP) AND timestamp < CAST(? AS TIMESTAMP) AND ")
                        .append(goal.condition()).append(")");
                parameters.addAll(List.of(request.siteId(), start.toString(), end.toString()));
                parameters.addAll(goal.parameters());
                continue;
            }
            if (dimension == Dimension.PROP) {
                if (table.equals("events")) {
                    sql.append(" AND ").append(Goals.PROPERTY_CONDITION);
                    parameters.addAll(List.of(filter.propertyKey(), filter.propertyValue()));
                } else {
                    // like an event filter: the sessions in which an event with that property's value happened
                    sql.append(" AND session_id IN (SELECT session_id FROM events WHERE site_id = ? AND timestamp >= CAST(? AS TIMESTAMP)"
                            + " AND timestamp < CAST(? AS TIMESTAMP) AND ").append(Goals.PROPERTY_CONDITION).append(")");
                    parameters.addAll(List.of(request.siteId(), start.toString(), end.toString(), filter.propertyKey(), filter.propertyValue()));
                }
                continue;
            }
            if (dimension == Dimension.EVENT) {
                if (table.equals("events")) {
                    sql.append(" AND name = ?");
                    parameters.add(filter.value());
                } else {
                    // an event filter keeps the sessions in which that event happened
                    sql.append(" AND session_id IN (SELECT session_id FROM " + from(sources, "events") + " WHERE site_id = ? AND name = ?"
                            + " AND timestamp >= CAST(? AS TIMESTAMP) AND timestamp < CAST(? AS TIMESTAMP))");
                    parameters.addAll(List.of(request.siteId(), filter.value(), start.toString(), end.toString()));
                }
                continue;
            }
            sql.append(" AND (").append(dimension.column()).append(") = ?");
            parameters.add(filter.value());
        }
        return new Rows(sql.toString(), parameters);
    }

    private static PreparedStatement prepare(Connection connection, String query, Rows scope) throws SQLException {
        return prepare(connection, query, scope, Optional.empty(), List.of());
    }

    /**
     * The query over {@code scoped} (and, when given, {@code engaged}: the last engagement ping per session), and
     * {@code scoped_sessions} (stats_sessions.sql) where the query reads it. {@code after}: the query's own
     * parameters, e.g. its {@code LIMIT ?}.
     */
    static PreparedStatement prepare(Connection connection, String query, Rows scope, Optional<Rows> engaged,
                                             List<Object> after) throws SQLException {
        String with = "WITH scoped AS (" + scope.sql() + ")" + engaged.map(pings -> ", engaged AS (" + pings.sql() + ")").orElse("")
                // an unread CTE would cost nothing, but a query's own CTE of that name would clash
                + (query.contains("scoped_sessions") ? ", scoped_sessions AS (" + SESSIONS + ")" : "");
        PreparedStatement statement = connection.prepareStatement(with + " SELECT * FROM (" + query + ")");
        List<Object> parameters = new ArrayList<>(scope.parameters());
        engaged.ifPresent(pings -> parameters.addAll(pings.parameters()));
        parameters.addAll(after);
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
        return statement;
    }

    /**
     * The summary from the raw hits; {@code totals}: its pageviews and visitors where the rollups gave them (the
     * distinct count over the scoped rows is then left out).
     */
    private static ObjectNode summary(Connection connection, Rows scope, Rows pings, Optional<long[]> totals) throws SQLException {
        String query = SUMMARY.replace("{visitors}", totals.isPresent() ? "NULL::BIGINT" : "(SELECT count(DISTINCT visitor_id) FROM scoped)");
        try (PreparedStatement statement = prepare(connection, query, scope, Optional.of(pings), List.of());
             ResultSet row = statement.executeQuery()) {
            row.next();
            long pageviews = totals.map(rolled -> rolled[0]).orElse(row.getLong("pageviews"));
            long sessions = row.getLong("sessions");
            ObjectNode summary = Json.object();
            summary.put("pageviews", pageviews);
            summary.put("visitors", totals.map(rolled -> rolled[1]).orElse(row.getLong("visitors")));
            summary.put("sessions", sessions);
            summary.put("bounce_rate", round(row.getDouble("bounce_rate")));
            summary.put("avg_session_duration", round(row.getDouble("avg_session_duration")));
            summary.put("pages_per_session", sessions == 0 ? 0 : round((double) pageviews / sessions));
            return summary;
        }
    }

    /** See {@link Live}. */
    Live live(int siteId) {
        return database.read(sql -> new Live(live(sql, siteId), liveList(sql, Statement.LIVE_PAGES, siteId),
                liveList(sql, Statement.LIVE_SOURCES, siteId)));
    }

    /** One of the live panel's lists. */
    private static List<LiveRow> liveList(Sql sql, Statement list, int siteId) throws SQLException {
        return sql.list(list, row -> new LiveRow(row.getString("value"), row.getLong("visitors")), "site_id", siteId,
                "limit", LIVE_LIMIT);
    }

    private static long live(Sql sql, int siteId) throws SQLException {
        return sql.number(Statement.LIVE_VISITORS, "site_id", siteId);
    }

    /** Every bucket of the range, with zeros where nothing happened. */
    private static ArrayNode chart(Connection connection, Rows scope, ZoneId zone, LocalDate from, LocalDate to,
                                   boolean hourly) throws SQLException {
        String format = hourly ? "%Y-%m-%dT%H:00" : "%Y-%m-%d";
        // The zone id was validated with ZoneId when the site was saved; quote it anyway.
        String sql = CHART.replace(":bucket", hourly ? "'hour'" : "'day'")
                .replace(":timezone", "'" + zone.getId().replace("'", "''") + "'")
                .replace(":format", "'" + format + "'");
        Map<String, long[]> found = new LinkedHashMap<>();
        try (PreparedStatement statement = prepare(connection, sql, scope); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                found.put(rows.getString("t"), new long[] {rows.getLong("pageviews"), rows.getLong("visitors")});
            }
        }
        return buckets(found, from, to, hourly);
    }

    /** The chart's buckets from {@code found} (pageviews and visitors by label), zeros where nothing happened. */
    private static ArrayNode buckets(Map<String, long[]> found, LocalDate from, LocalDate to, boolean hourly) {
        ArrayNode chart = Json.MAPPER.createArrayNode();
        DateTimeFormatter label = DateTimeFormatter.ofPattern(hourly ? "yyyy-MM-dd'T'HH:00" : "yyyy-MM-dd");
        LocalDateTime bucket = from.atStartOfDay();
        LocalDateTime last = hourly ? to.atTime(23, 0) : to.atStartOfDay();
        while (!bucket.isAfter(last)) {
            String t = bucket.format(label);
            long[] values = found.getOrDefault(t, new long[2]);
            chart.addObject().put("t", t).put("pageviews", values[0]).put("visitors", values[1]);
            bucket = hourly ? bucket.plusHours(1) : bucket.plusDays(1);
        }
        return chart;
    }

    private static ArrayNode rows(Connection connection, String query, Rows scope, int limit) throws SQLException {
        ArrayNode list = Json.MAPPER.createArrayNode();
        try (PreparedStatement statement = prepare(connection, query, scope, Optional.empty(), List.of(limit));
             ResultSet rows = statement.executeQuery()) {
            String countColumn = rows.getMetaData().getColumnLabel(2);
            while (rows.next()) {
                list.addObject().put("value", rows.getString(1))
                        .put(countColumn, rows.getLong(2))
                        .put("visitors", rows.getLong(3));
            }
        }
        return list;
    }

    private static ArrayNode eventProps(Connection connection, Rows events, int limit) throws SQLException {
        ArrayNode list = Json.MAPPER.createArrayNode();
        try (PreparedStatement statement = prepare(connection, EVENT_PROPS, events, Optional.empty(), List.of(limit));
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                list.addObject().put("event", rows.getString("event")).put("key", rows.getString("key"))
                        .put("value", rows.getString("value")).put("count", rows.getLong("count"))
                        .put("visitors", rows.getLong("visitors"));
            }
        }
        return list;
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
