-- Summary of the scoped pageviews: totals and per-session averages.
-- bounce_rate is the percentage of sessions with a single pageview.
-- A session lasts from its first pageview to its last pageview or engagement ping (`engaged`: the last
-- ping per session), so a one-page visit whose tracker reported the page being hidden has a duration.
WITH sessions AS (
    SELECT session_id,
           count(*)       AS pageviews,
           min(timestamp) AS started,
           max(timestamp) AS last_pageview
    FROM scoped
    GROUP BY session_id
)
SELECT (SELECT count(*) FROM scoped)                                 AS pageviews,
       (SELECT count(DISTINCT visitor_id) FROM scoped)               AS visitors,
       count(*)                                                      AS sessions,
       coalesce(avg(CASE WHEN pageviews = 1 THEN 100.0 ELSE 0 END), 0) AS bounce_rate,
       coalesce(avg(epoch(greatest(last_pageview, coalesce(engaged.last_seen, last_pageview))) - epoch(started)), 0)
                                                                     AS avg_session_duration
FROM sessions LEFT JOIN engaged USING (session_id)
