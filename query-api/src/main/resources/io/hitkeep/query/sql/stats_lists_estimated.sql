-- Every top list over pageviews by value, as stats_lists.sql, with each row's visitors estimated (DuckDB's
-- approx_count_distinct, a HyperLogLog) instead of counted: for scopes too large to count each value's
-- distinct visitors quickly (a filtered year of a big site: a distinct count per value and visitor kept
-- millions of groups). One pass of grouping sets, one per list, then unpivoted (a set's other columns are
-- NULL, which UNPIVOT leaves out). {columns}, {lists}: as there; {sets}: ((pages), (referrers), ...).
WITH per_list AS (
    SELECT {lists}, count(*) AS pageviews, approx_count_distinct(visitor_id) AS visitors
    FROM (SELECT visitor_id, {columns} FROM scoped)
    GROUP BY GROUPING SETS ({sets})
),
top AS (
    SELECT list, value, pageviews, visitors
    FROM (UNPIVOT per_list ON {lists} INTO NAME list VALUE value)
    WHERE value <> ''
)
SELECT list, value, pageviews, visitors
FROM top
QUALIFY row_number() OVER (PARTITION BY list ORDER BY pageviews DESC, value) <= ?
ORDER BY list, pageviews DESC, value
