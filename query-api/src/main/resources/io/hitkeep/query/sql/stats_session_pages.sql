-- Entry and exit pages: the first and last page of each session of the scoped pageviews, by grouping sets
-- over the sessions ("pageviews" counts sessions); the first ? of each. Its own statement, after the top
-- lists: in one query with the estimated lists' grouping sets, the two together ran out of DuckDB's 128 MB
-- on a filtered year of ten million hits. Visitors are counted here even where the top lists estimate theirs:
-- there are far fewer sessions than pageviews (0.52 s counted against 0.39 s estimated on 831,550 pageviews).
WITH per_session AS (
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
)
SELECT list, value, pageviews, visitors
FROM (UNPIVOT session_pages ON entry_pages, exit_pages INTO NAME list VALUE value)
QUALIFY row_number() OVER (PARTITION BY list ORDER BY pageviews DESC, value) <= ?
ORDER BY list, pageviews DESC, value
