-- Entry and exit pages: the first and last page of each session of the scoped pageviews (scoped_sessions,
-- stats_sessions.sql), both sides grouped in one pass ("pageviews" counts sessions); the first ? of each. Its
-- own statement, after the top lists: in one query with the estimated lists' grouping sets, the two together
-- ran out of DuckDB's 128 MB on a filtered year of ten million hits. Visitors are counted here even where the
-- top lists estimate theirs: there are far fewer sessions than pageviews (0.52 s counted against 0.39 s
-- estimated on 831,550 pageviews).
WITH sides AS (
    SELECT 'entry_pages' AS list, entry_page AS value, entry_visitor AS visitor_id FROM scoped_sessions
    UNION ALL
    SELECT 'exit_pages', exit_page, exit_visitor FROM scoped_sessions
)
SELECT list, value, count(*) AS pageviews, count(DISTINCT visitor_id) AS visitors
FROM sides
GROUP BY list, value
QUALIFY row_number() OVER (PARTITION BY list ORDER BY pageviews DESC, value) <= ?
ORDER BY list, pageviews DESC, value
