-- Pageviews and visitors per time bucket; :bucket is 'hour' or 'day', :timezone the site's zone,
-- so buckets start at local midnight (timestamps are stored in UTC).
-- Converting every row to local time is what costs (ICU, per row): rows are first grouped into UTC
-- quarter-hours per visitor, and only the distinct quarter-hours are converted. Every zone's offset is a
-- multiple of 15 minutes, so a quarter-hour never straddles two local hours or days.
WITH per_slot AS (
    SELECT time_bucket(INTERVAL 15 MINUTE, timestamp) AS slot,
           visitor_id,
           count(*)                                   AS pageviews
    FROM scoped
    GROUP BY 1, 2
),
slots AS (
    SELECT slot,
           strftime(date_trunc(:bucket, timezone(:timezone, slot::TIMESTAMPTZ)), :format) AS t
    FROM (SELECT DISTINCT slot FROM per_slot)
)
SELECT t,
       sum(pageviews)             AS pageviews,
       count(DISTINCT visitor_id) AS visitors
FROM per_slot JOIN slots USING (slot)
GROUP BY 1
ORDER BY 1
