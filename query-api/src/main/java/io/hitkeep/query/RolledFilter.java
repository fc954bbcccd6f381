package io.hitkeep.query;

import io.hitkeep.core.DomainError;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A filtered request's pageviews and visitors, in total and per day, from the rollups: exact where its one filter
 * is on a dimension with a top list, since rollup_values keeps each such value per day with its pageviews, its
 * visitors and those shared with the day before, as the unfiltered lists read them. The rest of a filtered answer
 * (sessions, bounces, top lists) has no rollup per combination of dimensions and is read from the raw hits.
 * Holds the plan's fresh days on its connection until {@link #release}. Not thread-safe: one per request.
 */
final class RolledFilter {
    private final RollupAnswers.Plan plan;
    private final String dimension;
    private final String value;
    /** The filtered value's figures per day, read on first use. */
    private SortedMap<LocalDate, long[]> days;

    private RolledFilter(RollupAnswers.Plan plan, String dimension, String value) {
        this.plan = plan;
        this.dimension = dimension;
        this.value = value;
    }

    /** How to read the request's filtered value from the rollups, or empty when they cannot answer it exactly. */
    static Optional<RolledFilter> plan(RollupAnswers answers, Connection connection, StatsRequest request, ZoneId zone)
            throws SQLException {
        if (request.filters().size() != 1) {
            return Optional.empty();
        }
        StatsRequest.Filter filter = request.filters().get(0);
        Dimension dimension = filter.of();
        // the rollups keep no empty value (rollups.sql stores only value <> '')
        if (dimension.listQuery() != Dimension.ListQuery.TOP || filter.value().isEmpty()) {
            return Optional.empty();
        }
        StatsRequest unfiltered = new StatsRequest(request.siteId(), request.from(), request.to(), List.of(), request.limit(),
                request.parts(), request.breakdownProperty(), request.excludeImported());
        Optional<RollupAnswers.Plan> plan;
        try {
            plan = answers.plan(connection, unfiltered, zone);
        } catch (DomainError refused) {
            // still rolling up: a filtered request was always answered from the raw hits meanwhile, and still is
            if (refused.kind() == DomainError.Kind.UNAVAILABLE) {
                return Optional.empty();
            }
            throw refused;
        }
        return plan.map(found -> new RolledFilter(found, dimension.listName().orElseThrow(), filter.value()));
    }

    /** The filtered value's rows per day ({@code day, pageviews, visitors, shared_visitors}), rolled and fresh. */
    private String rows() {
        String wanted = " AND dimension = " + FilterRollups.literal(dimension) + " AND value = " + FilterRollups.literal(value);
        return plan.rolled("day, pageviews, visitors, shared_visitors", "rollup_values") + wanted
                + (plan.fresh().isEmpty() ? "" : " UNION ALL SELECT day, pageviews, visitors, shared_visitors FROM roll_values WHERE true" + wanted);
    }

    /** The range's pageviews and visitors of the filtered value. */
    long[] totals(Connection connection) throws SQLException {
        return RollupAnswers.totals(days(connection), plan.from());
    }

    /** Pageviews and exact visitors of the filtered value per local day, keyed by the chart's label. */
    Map<String, long[]> chart(Connection connection) throws SQLException {
        return RollupAnswers.chart(days(connection));
    }

    /** The filtered value's figures per day, read once for the totals and the chart. */
    private SortedMap<LocalDate, long[]> days(Connection connection) throws SQLException {
        if (days == null) {
            days = RollupAnswers.dayFigures(connection, rows());
        }
        return days;
    }

    void release(Connection connection) throws SQLException {
        RollupAnswers.release(connection, plan);
    }
}
