-- Summary of the scoped pageviews: totals and per-session averages.
-- bounce_rate is the percentage of sessions with a single pageview.
WITH sessions AS (
    SELECT session_id,
           count(*) AS pageviews,
           epoch(max(timestamp)) - epoch(min(timestamp)) AS duration
    FROM scoped
    GROUP BY session_id
)
SELECT (SELECT count(*) FROM scoped)                                 AS pageviews,
       (SELECT count(DISTINCT visitor_id) FROM scoped)               AS visitors,
       count(*)                                                      AS sessions,
       coalesce(avg(CASE WHEN pageviews = 1 THEN 100.0 ELSE 0 END), 0) AS bounce_rate,
       coalesce(avg(duration), 0)                                    AS avg_session_duration
FROM sessions
