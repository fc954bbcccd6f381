package io.hitkeep.query;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.auth.Access;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Json;
import io.hitkeep.core.Scope;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.writer.ArchivedMonths;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.Sql;
import io.hitkeep.writer.SqlFile;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A site's funnels: 2 to 8 ordered steps, each reached like a goal (a page path or glob, or an event with
 * optionally one property's value), and how many visitors reached each step in a range, with the stats'
 * filters. A visitor reaches a step only after the step before it, within one session or, with the 24-hour
 * window, within 24 hours of the first step. DuckDB does the counting ({@code sql/funnels.sql}). Admins
 * manage funnels, members read them. Thread-safe.
 */
final class Funnels {
    public static final StoreOperation<NewFunnel, Funnel> CREATE = StoreOperation.of("funnels.create", NewFunnel.class, Funnel.class);
    public static final StoreOperation<Sites.SiteRef, FunnelList> LIST =
            StoreOperation.of("funnels.list", Sites.SiteRef.class, FunnelList.class);
    public static final StoreOperation<FunnelQuery, Report> REPORT = StoreOperation.of("funnels.report", FunnelQuery.class, Report.class);
    public static final StoreOperation<FunnelRef, Deleted> DELETE = StoreOperation.of("funnels.delete", FunnelRef.class, Deleted.class);

    /** As the API takes it; {@code window} "session" or "24h". */
    public record NewFunnel(Scope scope, int siteId, String name, String window, List<NewStep> steps) {
    }

    /** One step as the API takes it: a goal's fields and an optional {@code label}. */
    public record NewStep(String label, String type, String path, String event, String propertyKey, String propertyValue) {
    }

    public record FunnelRef(Scope scope, int siteId, int funnelId) {
    }

    /** The funnel's visitors per step over the request's range and filters; the request names the site. */
    public record FunnelQuery(Scope scope, int funnelId, StatsRequest request) {
    }

    /** A stored funnel. */
    public record Funnel(int id, String name, Window window, List<Step> steps) {
        public Funnel {
            steps = steps == null ? List.of() : List.copyOf(steps);
        }
    }

    /**
     * A step as the API shows it and the funnels table stores it: its label, and what reaches it as a goal's
     * {@code type} with {@code path}, or {@code event} and its {@code property}.
     */
    public record Step(String label, Goals.Type type, @JsonInclude(JsonInclude.Include.NON_EMPTY) String path,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) String event,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Goals.Property property) {
        public Step {
            // what the API leaves out is empty here, as in a goal
            path = path == null ? "" : path;
            event = event == null ? "" : event;
        }

        /** A goal's definition as a step, its name the label. */
        static Step of(Goals.Goal goal) {
            return new Step(goal.name(), goal.type(), goal.path(), goal.event(), goal.property());
        }

        /** The step as a goal named by its label, to count who reached it. */
        Goals.Goal goal() {
            return new Goals.Goal(0, label, type, path, event, property);
        }
    }

    /** A site's funnels, oldest first. */
    public record FunnelList(List<Funnel> funnels) {
        public FunnelList {
            funnels = funnels == null ? List.of() : List.copyOf(funnels);
        }
    }

    /** The visitors per step of a range: see {@link #report}. */
    public record Report(int id, String name, Window window, List<StepVisitors> steps) {
        public Report {
            steps = steps == null ? List.of() : List.copyOf(steps);
        }
    }

    public record StepVisitors(String label, long visitors, double conversionRate, long dropoff, double dropoffRate) {
    }

    /** How far apart a visitor's steps may be. */
    enum Window {
        /** Every step in one session: rows are linked by session. */
        SESSION("session", "session_id", 0),
        /** Every step within 24 hours of the first, across sessions: rows are linked by visitor. */
        DAY("24h", "visitor_id", 24 * 3600);

        @JsonValue
        private final String label;
        private final String key;
        private final int seconds;

        Window(String label, String key, int seconds) {
            this.label = label;
            this.key = key;
            this.seconds = seconds;
        }

        @JsonCreator
        static Window parse(String label) {
            for (Window window : values()) {
                if (window.label.equals(label)) {
                    return window;
                }
            }
            throw DomainError.invalid("window must be session or 24h");
        }
    }

    static final int MIN_STEPS = 2;
    static final int MAX_STEPS = 8;

    /** The statements of {@code sql/funnels.sql}, each named there like its constant, in lower case with dashes. */
    private enum Query implements SqlFile.Named {
        INSERT_FUNNEL, FUNNELS_OF_SITE, FUNNEL, DELETE_FUNNEL, FUNNEL_FIRST_STEP, FUNNEL_NEXT_STEP, FUNNEL_VISITORS;

        @Override
        public String file() {
            return "sql/funnels.sql";
        }
    }

    private final Database database;
    private final Sites sites;

    Funnels(Database database, Sites sites) {
        this.database = database;
        this.sites = sites;
    }

    Funnel create(NewFunnel funnel) {
        sites.get(funnel.scope(), funnel.siteId(), Access.Action.MANAGE_FUNNELS);
        String name = Goals.text("name", funnel.name(), Goals.NAME_LIMIT, true);
        Window window = Window.parse(funnel.window() == null || funnel.window().isBlank() ? "session" : funnel.window().strip());
        List<NewStep> given = funnel.steps() == null ? List.of() : funnel.steps();
        if (given.size() < MIN_STEPS || given.size() > MAX_STEPS) {
            throw DomainError.invalid("a funnel has " + MIN_STEPS + " to " + MAX_STEPS + " steps");
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            NewStep step = given.get(i);
            try {
                Goals.Goal unlabelled = Goals.define("", step.type(), step.path(), step.event(), step.propertyKey(), step.propertyValue());
                String label = Goals.text("label", step.label(), Goals.NAME_LIMIT, false);
                steps.add(Step.of(unlabelled.withName(label.isEmpty() ? label(unlabelled) : label)));
            } catch (DomainError e) {
                throw DomainError.invalid("step " + (i + 1) + ": " + e.getMessage());
            }
        }
        String stepsJson = new String(Json.bytes(steps), StandardCharsets.UTF_8);
        int id = database.write("create funnel", sql -> {
            try {
                return (int) sql.number(Query.INSERT_FUNNEL, "site_id", funnel.siteId(), "name", name, "step_window", window.label,
                        "steps", stepsJson, "user_id", funnel.scope().userId());
            } catch (SQLException e) {
                if (e.getMessage().contains("onstraint")) {
                    throw DomainError.conflict("the site has a funnel named " + name + " already");
                }
                throw e;
            }
        });
        return new Funnel(id, name, window, steps);
    }

    FunnelList list(Scope scope, int siteId) {
        sites.get(scope, siteId, Access.Action.READ_SITE);
        return new FunnelList(database.read(sql -> sql.list(Query.FUNNELS_OF_SITE, Funnels::funnel, "site_id", siteId)));
    }

    Deleted delete(Scope scope, int siteId, int funnelId) {
        sites.get(scope, siteId, Access.Action.MANAGE_FUNNELS);
        return database.write("delete funnel", sql -> sql.first(Query.DELETE_FUNNEL, row -> Deleted.of(row.getInt(1), row.getString(2)),
                        "id", funnelId, "site_id", siteId)
                .orElseThrow(() -> DomainError.notFound("no such funnel")));
    }

    /**
     * {@code {"id", "name", "window", "steps": [{"label", "visitors", "conversion_rate", "dropoff", "dropoff_rate"}]}}:
     * the visitors who reached each step; the conversion rate is theirs as a percentage of the first step's, the
     * drop-off those of the step before who did not get this far, and its rate their share of the step before.
     */
    Report report(FunnelQuery query) {
        StatsRequest request = query.request();
        ZoneId zone = ZoneId.of(sites.get(query.scope(), request.siteId(), Access.Action.READ_SITE).timezone());
        return database.read(sql -> {
            Funnel funnel = sql.first(Query.FUNNEL, Funnels::funnel, "id", query.funnelId(), "site_id", request.siteId())
                    .orElseThrow(() -> DomainError.notFound("no such funnel"));
            long[] visitors = visitors(sql, database.file().getParent(), funnel, request, zone);
            List<StepVisitors> steps = new ArrayList<>();
            for (int i = 0; i < visitors.length; i++) {
                long before = i == 0 ? visitors[0] : visitors[i - 1];
                long dropoff = before - visitors[i];
                steps.add(new StepVisitors(funnel.steps().get(i).label(), visitors[i], percent(visitors[i], visitors[0]), dropoff,
                        percent(dropoff, before)));
            }
            return new Report(funnel.id(), funnel.name(), funnel.window(), steps);
        });
    }

    /**
     * Per step, the visitors who reached it, by one query of a few CTEs a step: {@code match_<n>}, the rows of the
     * step's table (hits for a page, events for an event) in range after the filters that meet its condition, with the
     * window's key; {@code step_<n>}, from {@code sql/funnels.sql}, the rows that got that far. Months that retention
     * moved to Parquet files in {@code data} are read from there, as the stats read them.
     */
    private static long[] visitors(Sql sql, Path data, Funnel funnel, StatsRequest request, ZoneId zone) throws SQLException {
        LocalDateTime start = request.start(zone);
        LocalDateTime end = request.end(zone);
        Map<String, Goals.Goal> goalFilters = Stats.goalFilters(sql, request);
        ArchivedMonths.Sources sources = ArchivedMonths.sources(sql, data, request.siteId(), start, end);
        StringBuilder query = new StringBuilder("WITH ");
        List<Object> parameters = new ArrayList<>();
        int steps = funnel.steps().size();
        for (int n = 1; n <= steps; n++) {
            Goals.Goal step = funnel.steps().get(n - 1).goal();
            Stats.Rows rows = Stats.scope(step.table(), sources, request, start, end, goalFilters);
            query.append("match_").append(n).append(" AS (SELECT ").append(funnel.window().key).append(" AS key, visitor_id, timestamp AS ts FROM (")
                    .append(rows.sql()).append(") WHERE ").append(step.condition()).append("), ");
            parameters.addAll(rows.parameters());
            parameters.addAll(step.parameters());
        }
        for (int n = 1; n <= steps; n++) {
            query.append("step_").append(n).append(" AS (");
            append(query, parameters, n == 1 ? Query.FUNNEL_FIRST_STEP : Query.FUNNEL_NEXT_STEP, n, funnel.window());
            query.append(n < steps ? "), " : ") ");
        }
        for (int n = 1; n <= steps; n++) {
            query.append(n == 1 ? "" : " UNION ALL ");
            append(query, parameters, Query.FUNNEL_VISITORS, n, funnel.window());
        }
        long[] visitors = new long[steps];
        try (PreparedStatement statement = sql.connection().prepareStatement(query.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    visitors[rows.getInt("step") - 1] = rows.getLong("visitors");
                }
            }
        }
        return visitors;
    }

    /** A statement of {@code sql/funnels.sql} for step {@code n}, and the values of its parameters. */
    private static void append(StringBuilder query, List<Object> parameters, Query named, int n, Window window) {
        SqlFile.Statement statement = SqlFile.of(named);
        query.append(statement.sql().replace("{step}", Integer.toString(n)).replace("{previous}", Integer.toString(n - 1)));
        for (String name : statement.parameters()) {
            if (!name.equals("window_seconds")) {
                throw new IllegalStateException(statement.name() + ": no value for :" + name);
            }
            parameters.add(window.seconds);
        }
    }

    private static Funnel funnel(ResultSet row) throws SQLException {
        List<Step> steps = new ArrayList<>();
        try {
            for (JsonNode step : Json.MAPPER.readTree(row.getString("steps"))) {
                JsonNode property = step.path("property");
                steps.add(Step.of(Goals.define(step.path("label").asText(), step.path("type").asText(), step.path("path").asText(),
                        step.path("event").asText(), property.path("key").asText(), property.path("value").asText())));
            }
        } catch (JsonProcessingException e) {
            throw new SQLException("funnel " + row.getInt("id") + " has unreadable steps", e);
        }
        return new Funnel(row.getInt("id"), row.getString("name"), Window.parse(row.getString("step_window")), steps);
    }

    /** A step's label when none was given: its path, or its event with the property. */
    private static String label(Goals.Goal step) {
        if (step.type() == Goals.Type.PAGEVIEW) {
            return step.path();
        }
        return step.propertyKey().isEmpty() ? step.event()
                : String.format(Locale.ROOT, "%s (%s: %s)", step.event(), step.propertyKey(), step.propertyValue());
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : Stats.round(100.0 * part / whole);
    }
}
