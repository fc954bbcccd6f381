-- Pageviews and visitors per time bucket; :bucket is 'hour' or 'day', :timezone the site's zone,
-- so buckets start at local midnight (timestamps are stored in UTC).
SELECT strftime(date_trunc(:bucket, timezone(:timezone, timestamp::TIMESTAMPTZ)), :format) AS t,
       count(*)                   AS pageviews,
       count(DISTINCT visitor_id) AS visitors
FROM scoped
GROUP BY 1
ORDER BY 1
