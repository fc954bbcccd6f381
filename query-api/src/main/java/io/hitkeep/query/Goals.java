package io.hitkeep.query;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.hitkeep.auth.Access;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Scope;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.Sql;
import io.hitkeep.writer.SqlFile;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A site's goals: what its owner wants visitors to do. A pageview goal is reached by viewing a page whose
 * path matches a glob ({@code /docs/*}); an event goal by sending a custom event, optionally with one
 * property of a given value. Admins manage goals, members read them; the stats count conversions per goal
 * ({@link Stats}), and {@code filter=goal:<name>} keeps the visitors who converted. Thread-safe.
 */
final class Goals {
    public static final StoreOperation<NewGoal, Goal> CREATE = StoreOperation.of("goals.create", NewGoal.class, Goal.class);
    public static final StoreOperation<Sites.SiteRef, GoalList> LIST = StoreOperation.of("goals.list", Sites.SiteRef.class, GoalList.class);
    public static final StoreOperation<GoalRef, Deleted> DELETE = StoreOperation.of("goals.delete", GoalRef.class, Deleted.class);

    /** As the API takes it: {@code type} "pageview" (with {@code path}) or "event" (with {@code event}, an optional property). */
    public record NewGoal(Scope scope, int siteId, String name, String type, String path, String event, String propertyKey,
                          String propertyValue) {
    }

    public record GoalRef(Scope scope, int siteId, int goalId) {
    }

    /** An event goal's (or step's) property and the value it must have. */
    public record Property(String key, String value) {
    }

    /**
     * A stored goal, and what a row must be to reach it. As the API shows it: {@code id}, {@code name}, {@code type},
     * and {@code path} for a pageview goal or {@code event} and, if it has one, {@code property} for an event goal.
     */
    public record Goal(int id, String name, Type type, @JsonInclude(JsonInclude.Include.NON_EMPTY) String path,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) String event,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Property property) {
        public Goal {
            // what the API leaves out is empty here
            path = path == null ? "" : path;
            event = event == null ? "" : event;
        }

        Goal withId(int newId) {
            return new Goal(newId, name, type, path, event, property);
        }

        Goal withName(String newName) {
            return new Goal(id, newName, type, path, event, property);
        }

        /** The table whose rows reach the goal. */
        String table() {
            return type == Type.PAGEVIEW ? "hits" : "events";
        }

        /** The condition a row of {@link #table()} meets when it reaches the goal, with its parameters. */
        String condition() {
            if (type == Type.PAGEVIEW) {
                return "path LIKE ? ESCAPE '\\'";
            }
            return property == null ? "name = ?" : "name = ? AND " + PROPERTY_CONDITION;
        }

        List<Object> parameters() {
            if (type == Type.PAGEVIEW) {
                return List.of(like(path));
            }
            return property == null ? List.of(event) : List.of(event, property.key(), property.value());
        }

        /** The property's key, empty without one: as the goals table stores it. */
        String propertyKey() {
            return property == null ? "" : property.key();
        }

        String propertyValue() {
            return property == null ? "" : property.value();
        }
    }

    /** A site's goals, oldest first. */
    public record GoalList(List<Goal> goals) {
        public GoalList {
            goals = goals == null ? List.of() : List.copyOf(goals);
        }
    }

    enum Type {
        PAGEVIEW, EVENT;

        @JsonValue
        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        static Type parse(String label) {
            for (Type type : values()) {
                if (type.label().equals(label)) {
                    return type;
                }
            }
            throw DomainError.invalid("type must be pageview or event");
        }
    }

    /**
     * An event row has property {@code ?} with value {@code ?}, compared as the event_props list shows values:
     * strings without their quotes, numbers and booleans as JSON text. Used by event goals and {@code filter=prop:}.
     */
    static final String PROPERTY_CONDITION = "EXISTS (SELECT 1 FROM json_each(props) AS p WHERE p.key = ? AND "
            + "(CASE WHEN p.type = 'VARCHAR' THEN p.value ->> '$' ELSE CAST(p.value AS VARCHAR) END) = ?)";
    static final int NAME_LIMIT = 100;
    private static final int VALUE_LIMIT = 256;
    /** The statements of {@code sql/goals.sql}, each named there like its constant, in lower case with dashes. */
    private enum Query implements SqlFile.Named {
        INSERT_GOAL, GOALS_OF_SITE, GOAL_BY_NAME, DELETE_GOAL;

        @Override
        public String file() {
            return "sql/goals.sql";
        }
    }

    private final Database database;
    private final Sites sites;

    Goals(Database database, Sites sites) {
        this.database = database;
        this.sites = sites;
    }

    Goal create(NewGoal goal) {
        sites.get(goal.scope(), goal.siteId(), Access.Action.MANAGE_GOALS);
        String name = text("name", goal.name(), NAME_LIMIT, true);
        Goal unsaved = define(name, goal.type(), goal.path(), goal.event(), goal.propertyKey(), goal.propertyValue());
        int id = database.write("create goal", sql -> {
            try {
                return (int) sql.number(Query.INSERT_GOAL, "site_id", goal.siteId(), "name", name, "type", unsaved.type().label(),
                        "path", unsaved.path(), "event", unsaved.event(), "property_key", unsaved.propertyKey(),
                        "property_value", unsaved.propertyValue(), "user_id", goal.scope().userId());
            } catch (SQLException e) {
                if (e.getMessage().contains("onstraint")) {
                    throw DomainError.conflict("the site has a goal named " + name + " already");
                }
                throw e;
            }
        });
        return unsaved.withId(id);
    }

    GoalList list(Scope scope, int siteId) {
        sites.get(scope, siteId, Access.Action.READ_SITE);
        return new GoalList(database.read(sql -> of(sql, siteId)));
    }

    Deleted delete(Scope scope, int siteId, int goalId) {
        sites.get(scope, siteId, Access.Action.MANAGE_GOALS);
        return database.write("delete goal", sql -> sql.first(Query.DELETE_GOAL, row -> Deleted.of(row.getInt(1), row.getString(2)),
                        "id", goalId, "site_id", siteId)
                .orElseThrow(() -> DomainError.notFound("no such goal")));
    }

    /** The site's goals, oldest first, inside a read or write the caller holds. */
    static List<Goal> of(Sql sql, int siteId) throws SQLException {
        return sql.list(Query.GOALS_OF_SITE, Goals::goal, "site_id", siteId);
    }

    /** The goal of that name, inside a read the caller holds. */
    static Optional<Goal> named(Sql sql, int siteId, String name) throws SQLException {
        return sql.first(Query.GOAL_BY_NAME, Goals::goal, "site_id", siteId, "name", name);
    }

    private static Goal goal(ResultSet row) throws SQLException {
        return new Goal(row.getInt(1), row.getString(2), Type.parse(row.getString(3)), row.getString(4), row.getString(5),
                property(row.getString(6), row.getString(7)));
    }

    /**
     * What reaches a goal (or a funnel's step), validated: a {@code pageview} of a path or glob starting with
     * {@code /}, or an {@code event} by name, optionally with one property's value. Not yet stored: id 0.
     */
    static Goal define(String name, String typeLabel, String path, String event, String propertyKey, String propertyValue) {
        Type type = Type.parse(typeLabel == null ? "" : typeLabel.strip());
        if (type == Type.PAGEVIEW) {
            String glob = text("path", path, VALUE_LIMIT, true);
            if (!glob.startsWith("/") || glob.chars().anyMatch(Character::isWhitespace)) {
                throw DomainError.invalid("path must be a page path such as /signup or a pattern such as /docs/*");
            }
            return new Goal(0, name, type, glob, "", null);
        }
        String eventName = text("event", event, VALUE_LIMIT, true);
        String key = text("property.key", propertyKey, VALUE_LIMIT, false);
        String value = text("property.value", propertyValue, VALUE_LIMIT, false);
        if (key.isEmpty() != value.isEmpty()) {
            throw DomainError.invalid("a property needs both its key and its value");
        }
        return new Goal(0, name, type, "", eventName, property(key, value));
    }

    /** The property as the goals table stores it (an empty key: none). */
    private static Property property(String key, String value) {
        return key == null || key.isEmpty() ? null : new Property(key, value);
    }

    /** A path glob as a LIKE pattern: {@code *} is any run of characters; LIKE's own wildcards are escaped. */
    static String like(String glob) {
        return glob.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace('*', '%');
    }

    /** A field of a request, stripped; refused when required and empty, or longer than the limit. */
    static String text(String field, String value, int limit, boolean required) {
        String text = value == null ? "" : value.strip();
        if (required && text.isEmpty() || text.length() > limit) {
            throw DomainError.invalid(field + " is " + (required ? "required, " : "") + "at most " + limit + " characters");
        }
        return text;
    }
}
