package io.hitkeep.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.Json;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.SqlFile;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Adds imported data ({@link Imports}) to a finished stats answer, for the days of the range that imports
 * cover: the summary's pageviews, visitors, visits, bounce rate and visit duration, the chart's days, and
 * the top lists and events an export has (merged with the tracked ones by value, re-sorted, cut to the
 * limit). An export has no visitor ids, so on imported days visitors are the sum of each day's visitors;
 * the answer says so ({@code imported}). Imported data has no breakdown by filter, so a filtered answer is
 * left alone, and an hourly chart too (imports have days). {@code imported=exclude} leaves it all out.
 * Kept apart from {@link Stats} so each can change without the other. Thread-safe.
 */
final class ImportedStats {
    static final String NOTE = "on imported days, visitors are the sum of each day's visitors";
    static final String FILTERED = "imported data has no breakdown by filter";

    private enum Query implements SqlFile.Named {
        IMPORTED_DAYS, IMPORTED_TOP_LISTS;

        @Override
        public String file() {
            return "sql/imported_stats.sql";
        }
    }

    /** One day's imported totals. */
    private record Day(String day, long visitors, long pageviews, long visits, long bounces, long visitDuration) {
    }

    /** A value of an imported top list. */
    private record Value(String value, long count, long visitors) {
    }

    private final Database database;

    ImportedStats(Database database) {
        this.database = database;
    }

    /** {@code answer} with the imported data of the request's range added, unless the request excludes it. */
    ObjectNode addTo(ObjectNode answer, StatsRequest request) {
        if (request.excludeImported()) {
            return mark(answer, false);
        }
        return database.read(sql -> {
            List<Day> days = sql.list(Query.IMPORTED_DAYS, row -> new Day(row.getString("day"), row.getLong("visitors"),
                    row.getLong("pageviews"), row.getLong("visits"), row.getLong("bounces"), row.getLong("visit_duration")),
                    "site_id", request.siteId(), "from", request.from(), "to", request.to());
            if (days.isEmpty()) {
                return mark(answer, false);
            }
            ObjectNode about = answer.putObject("imported").put("days", days.size()).put("from", days.getFirst().day())
                    .put("to", days.getLast().day());
            if (!request.filters().isEmpty()) {
                about.put("note", FILTERED);
                return mark(answer, false);
            }
            about.put("note", NOTE);
            if (answer.get("summary") instanceof ObjectNode summary) {
                addToSummary(summary, days);
            }
            if (answer.get("chart") instanceof ArrayNode chart) {
                addToChart(chart, days);
            }
            Map<String, List<Value>> lists = sql.list(Query.IMPORTED_TOP_LISTS, row -> Map.entry(row.getString("list"),
                            new Value(row.getString("value"), row.getLong("pageviews"), row.getLong("visitors"))),
                    "site_id", request.siteId(), "from", request.from(), "to", request.to(), "limit", request.limit())
                    .stream().collect(Collectors.groupingBy(Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
            lists.forEach((name, values) -> {
                if (answer.get(name) instanceof ArrayNode list) {
                    answer.set(name, merge(list, values, name.equals("events") ? "count" : "pageviews", request.limit()));
                }
            });
            return mark(answer, true);
        });
    }

    /** Says in the summary (when there is one) whether imported data is in it. */
    private static ObjectNode mark(ObjectNode answer, boolean imported) {
        if (answer.get("summary") instanceof ObjectNode summary) {
            summary.put("imported", imported);
        }
        return answer;
    }

    /**
     * Totals and per-visit figures over tracked and imported visits together: the tracked bounces and
     * durations are recovered from their rates and the tracked visits, then weighed with the imported ones.
     */
    private static void addToSummary(ObjectNode summary, List<Day> days) {
        long pageviews = days.stream().mapToLong(Day::pageviews).sum();
        long visitors = days.stream().mapToLong(Day::visitors).sum();
        long visits = days.stream().mapToLong(Day::visits).sum();
        long bounces = days.stream().mapToLong(Day::bounces).sum();
        long duration = days.stream().mapToLong(Day::visitDuration).sum();
        long trackedSessions = summary.path("sessions").asLong();
        double trackedBounces = summary.path("bounce_rate").asDouble() * trackedSessions / 100;
        double trackedDuration = summary.path("avg_session_duration").asDouble() * trackedSessions;
        long sessions = trackedSessions + visits;
        long allPageviews = summary.path("pageviews").asLong() + pageviews;
        summary.put("pageviews", allPageviews);
        summary.put("visitors", summary.path("visitors").asLong() + visitors);
        summary.put("sessions", sessions);
        summary.put("bounce_rate", sessions == 0 ? 0 : round(100 * (trackedBounces + bounces) / sessions));
        summary.put("avg_session_duration", sessions == 0 ? 0 : round((trackedDuration + duration) / sessions));
        summary.put("pages_per_session", sessions == 0 ? 0 : round((double) allPageviews / sessions));
    }

    /**
     * Each imported day goes to the bucket it falls in: the last one that starts on or before it (buckets are
     * days, or longer periods labelled by their first day). An hourly chart ({@code 2025-01-31T10:00}) is left as it is.
     */
    private static void addToChart(ArrayNode chart, List<Day> days) {
        if (chart.isEmpty() || chart.get(0).path("t").asText().contains("T")) {
            return;
        }
        for (Day day : days) {
            ObjectNode bucket = null;
            for (JsonNode candidate : chart) {
                if (candidate.path("t").asText().compareTo(day.day()) <= 0) {
                    bucket = (ObjectNode) candidate;
                }
            }
            if (bucket != null) {
                bucket.put("pageviews", bucket.path("pageviews").asLong() + day.pageviews());
                bucket.put("visitors", bucket.path("visitors").asLong() + day.visitors());
            }
        }
    }

    /**
     * Tracked and imported rows by value, counts added, sorted as the stats sort (count, then value), at most
     * {@code limit}. Both sides are already their own top {@code limit}: a value just below both cuts could
     * have made it together, which is the price of not summing every value of a long range.
     */
    private static ArrayNode merge(ArrayNode tracked, List<Value> imported, String countField, int limit) {
        Map<String, ObjectNode> byValue = new LinkedHashMap<>();
        for (JsonNode row : tracked) {
            byValue.put(row.path("value").asText(), ((ObjectNode) row).deepCopy());
        }
        for (Value value : imported) {
            ObjectNode row = byValue.computeIfAbsent(value.value(),
                    name -> Json.object().put("value", name).put(countField, 0).put("visitors", 0));
            row.put(countField, row.path(countField).asLong() + value.count());
            row.put("visitors", row.path("visitors").asLong() + value.visitors());
        }
        ArrayNode merged = Json.MAPPER.createArrayNode();
        byValue.values().stream()
                .sorted(Comparator.<ObjectNode>comparingLong(row -> -row.path(countField).asLong())
                        .thenComparing(row -> row.path("value").asText()))
                .limit(limit)
                .forEach(merged::add);
        return merged;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
