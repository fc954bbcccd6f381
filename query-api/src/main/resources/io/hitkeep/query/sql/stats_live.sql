-- name: live-visitors
-- Visitors seen in the last five minutes, whatever range the dashboard shows.
SELECT count(DISTINCT visitor_id)
FROM hits
WHERE site_id = :site_id AND timestamp > now()::TIMESTAMP - INTERVAL 5 MINUTE

-- name: live-pages
-- The pages of the last five minutes by their visitors.
SELECT path AS value, count(DISTINCT visitor_id) AS visitors
FROM hits
WHERE site_id = :site_id AND timestamp > now()::TIMESTAMP - INTERVAL 5 MINUTE
GROUP BY 1
ORDER BY visitors DESC, value
LIMIT :limit

-- name: live-sources
-- The sources of the last five minutes by their visitors; direct visits (no source) are left out, as in the top lists.
SELECT source AS value, count(DISTINCT visitor_id) AS visitors
FROM hits
WHERE site_id = :site_id AND timestamp > now()::TIMESTAMP - INTERVAL 5 MINUTE AND source <> ''
GROUP BY 1
ORDER BY visitors DESC, value
LIMIT :limit
