-- Summary of the scoped pageviews: totals and per-session averages, the sessions from scoped_sessions
-- (stats_sessions.sql). bounce_rate is the percentage of sessions with a single pageview. {visitors}: the
-- distinct count over scoped, or NULL where the rollups give the visitors (a filter on one top list's value).
-- A session lasts from its first pageview to its last pageview or engagement ping (`engaged`: the last
-- ping per session), so a one-page visit whose tracker reported the page being hidden has a duration.
SELECT (SELECT count(*) FROM scoped)                                 AS pageviews,
       {visitors}                                                    AS visitors,
       count(*)                                                      AS sessions,
       coalesce(avg(CASE WHEN pageviews = 1 THEN 100.0 ELSE 0 END), 0) AS bounce_rate,
       coalesce(avg(epoch(greatest(last_pageview, coalesce(engaged.last_seen, last_pageview))) - epoch(started)), 0)
                                                                     AS avg_session_duration
FROM scoped_sessions LEFT JOIN engaged USING (session_id)
