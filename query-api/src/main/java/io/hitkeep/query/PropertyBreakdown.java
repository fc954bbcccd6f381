package io.hitkeep.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hitkeep.core.Json;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stats' breakdown by one custom property ({@code breakdown=prop:<key>}): the events ({@code events_by_prop})
 * and the event goals ({@code goals_by_prop}) per value of that property. A pageview goal has no properties and
 * is not broken down. Stateless.
 */
final class PropertyBreakdown {
    private static final String BY_VALUE = Database.resource(PropertyBreakdown.class, "sql/stats_prop_breakdown.sql");

    private PropertyBreakdown() {
    }

    /** {@code [{"event", "key", "value", "count", "visitors"}]} over the scoped events, like {@code event_props} for one key. */
    static ArrayNode events(Connection connection, Stats.Rows events, String key, int limit) throws SQLException {
        ArrayNode list = Json.MAPPER.createArrayNode();
        try (PreparedStatement statement = Stats.prepare(connection, BY_VALUE, events, Optional.empty(), List.of(key, limit));
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                list.addObject().put("event", rows.getString("event")).put("key", key).put("value", rows.getString("value"))
                        .put("count", rows.getLong("count")).put("visitors", rows.getLong("visitors"));
            }
        }
        return list;
    }

    /**
     * {@code [{"id", "name", "value", "visitors", "conversions", "conversion_rate"}]}: per event goal and value of the
     * property on its converting events, the visitors who converted with it, how often, and those visitors as a share
     * of the range's {@code visitors}.
     */
    static ArrayNode goals(Sql sql, int siteId, Stats.Rows events, String key, int limit, long visitors) throws SQLException {
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Goals.Goal goal : Goals.of(sql, siteId)) {
            if (goal.type() != Goals.Type.EVENT) {
                continue;
            }
            // the goal's converting events: the scoped events narrowed by its condition
            List<Object> parameters = new ArrayList<>(events.parameters());
            parameters.addAll(goal.parameters());
            Stats.Rows converting = new Stats.Rows("SELECT * FROM (" + events.sql() + ") WHERE " + goal.condition(), parameters);
            for (var row : events(sql.connection(), converting, key, limit)) {
                long converted = row.get("visitors").asLong();
                list.addObject().put("id", goal.id()).put("name", goal.name()).put("value", row.get("value").asText())
                        .put("visitors", converted).put("conversions", row.get("count").asLong())
                        .put("conversion_rate", visitors == 0 ? 0 : Stats.round(100.0 * converted / visitors));
            }
        }
        return list;
    }
}
