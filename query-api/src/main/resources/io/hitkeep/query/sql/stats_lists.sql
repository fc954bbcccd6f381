-- Every top list over pageviews by value in one pass over the scoped pageviews, instead of a scan per list:
-- the dimensions' lists unpivoted and counted per visitor, then per value (two plain aggregates: a distinct
-- count per grouping set ran out of DuckDB's 128 MB even on a few hundred rows read from archived months'
-- Parquet files; the rollups' day rows are counted the same way); one row per list and value, the first ? of
-- each. {columns}: each list's expression named after the list; {lists}: those names. Entry and exit pages:
-- stats_session_pages.sql.
WITH per_visitor AS (
    SELECT list, value, visitor_id, count(*) AS pageviews
    FROM (UNPIVOT (SELECT visitor_id, {columns} FROM scoped) ON {lists} INTO NAME list VALUE value)
    WHERE value <> ''
    GROUP BY ALL
),
top AS (
    SELECT list, value, sum(pageviews)::BIGINT AS pageviews, count(*) AS visitors
    FROM per_visitor
    GROUP BY ALL
)
SELECT list, value, pageviews, visitors
FROM top
QUALIFY row_number() OVER (PARTITION BY list ORDER BY pageviews DESC, value) <= ?
ORDER BY list, pageviews DESC, value
