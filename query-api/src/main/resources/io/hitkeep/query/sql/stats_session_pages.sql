-- Entry or exit pages: the first (arg_min) or last (arg_max) page of each session;
-- "pageviews" counts sessions that entered or left there.
WITH per_session AS (
    SELECT session_id,
           :pick(path, timestamp)  AS page,
           any_value(visitor_id)   AS visitor_id
    FROM scoped
    GROUP BY session_id
)
SELECT page                       AS value,
       count(*)                   AS pageviews,
       count(DISTINCT visitor_id) AS visitors
FROM per_session
GROUP BY 1
ORDER BY pageviews DESC, value
LIMIT ?
