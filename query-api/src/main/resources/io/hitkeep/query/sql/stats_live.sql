-- name: live-visitors
-- Visitors seen in the last five minutes, whatever range the dashboard shows.
SELECT count(DISTINCT visitor_id)
FROM hits
WHERE site_id = :site_id AND timestamp > now()::TIMESTAMP - INTERVAL 5 MINUTE
