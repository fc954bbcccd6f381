-- Every top list in one pass over the scoped pageviews, instead of a scan per list: the dimensions' lists
-- unpivoted and counted per visitor, then per value (two plain aggregates: a distinct count per grouping set
-- ran out of DuckDB's 128 MB even on a few hundred rows read from archived months' Parquet files; the
-- rollups' day rows are counted the same way), entry and exit pages (the first and last page of each
-- session; "pageviews" counts sessions) by grouping sets over the sessions; one row per list and value, the
-- first ? of each. {columns}: each list's expression named after the list; {lists}: those names.
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
),
per_session AS (
    SELECT arg_min(path, timestamp) AS entry_pages,
           arg_max(path, timestamp) AS exit_pages,
           any_value(visitor_id)    AS visitor_id
    FROM scoped
    GROUP BY session_id
),
session_pages AS (
    SELECT entry_pages, exit_pages, count(*) AS pageviews, count(DISTINCT visitor_id) AS visitors
    FROM per_session
    GROUP BY GROUPING SETS ((entry_pages), (exit_pages))
),
rows AS (
    SELECT list, value, pageviews, visitors FROM top
    UNION ALL
    SELECT list, value, pageviews, visitors FROM (UNPIVOT session_pages ON entry_pages, exit_pages INTO NAME list VALUE value)
)
SELECT list, value, pageviews, visitors
FROM rows
QUALIFY row_number() OVER (PARTITION BY list ORDER BY pageviews DESC, value) <= ?
ORDER BY list, pageviews DESC, value
