-- The sessions of the scoped pageviews, one row each, with what the summary (stats_summary.sql) and the entry
-- and exit pages (stats_session_pages.sql) read of them: composed as the CTE scoped_sessions before either
-- (Stats.prepare), so both count sessions alike; each query gets only the columns it reads computed (the summary
-- no arg_min of paths). Both in one statement, sharing one grouping, was measured no faster (BENCHMARKS.md,
-- filtered year). A session's visitor is the one of its entry (or exit)
-- pageview: a session that runs past a UTC midnight has two visitor ids (they are salted per day), and the
-- rollups count the same one.
SELECT session_id,
       count(*)                       AS pageviews,
       min(timestamp)                 AS started,
       max(timestamp)                 AS last_pageview,
       arg_min(path, timestamp)       AS entry_page,
       arg_max(path, timestamp)       AS exit_page,
       arg_min(visitor_id, timestamp) AS entry_visitor,
       arg_max(visitor_id, timestamp) AS exit_visitor
FROM scoped
GROUP BY session_id
