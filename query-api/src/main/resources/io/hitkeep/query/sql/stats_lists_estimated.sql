-- Every top list, as stats_lists.sql, with each row's visitors estimated (DuckDB's approx_count_distinct, a
-- HyperLogLog) instead of counted: for scopes too large to count each value's distinct visitors quickly (a
-- filtered year of a big site: a distinct count per value and visitor kept millions of groups). One pass
-- of grouping sets, one per list, then unpivoted (a set's other columns are NULL, which UNPIVOT leaves out);
-- entry and exit pages from the sessions as there. {columns}, {lists}: as there; {sets}: ((pages), ...).
WITH per_list AS (
    SELECT {lists}, count(*) AS pageviews, approx_count_distinct(visitor_id) AS visitors
    FROM (SELECT visitor_id, {columns} FROM scoped)
    GROUP BY GROUPING SETS ({sets})
),
top AS (
    SELECT list, value, pageviews, visitors
    FROM (UNPIVOT per_list ON {lists} INTO NAME list VALUE value)
    WHERE value <> ''
),
per_session AS (
    SELECT arg_min(path, timestamp) AS entry_pages,
           arg_max(path, timestamp) AS exit_pages,
           any_value(visitor_id)    AS visitor_id
    FROM scoped
    GROUP BY session_id
),
session_pages AS (
    SELECT entry_pages, exit_pages, count(*) AS pageviews, approx_count_distinct(visitor_id) AS visitors
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
