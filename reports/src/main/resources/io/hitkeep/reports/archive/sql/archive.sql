-- Retention archive (archive/Archiver.java). Months are UTC: yyyy-mm.

-- name: sites-with-retention
SELECT id, retention_days FROM sites WHERE retention_days IS NOT NULL ORDER BY id

-- The months of a site that have rows older than :before (the first day of the month its retention reaches).
-- name: months-before
SELECT DISTINCT strftime(timestamp, '%Y-%m') AS month FROM (
    SELECT timestamp FROM hits WHERE site_id = :site_id AND timestamp < :before
    UNION ALL SELECT timestamp FROM events WHERE site_id = :site_id AND timestamp < :before
    UNION ALL SELECT timestamp FROM engagements WHERE site_id = :site_id AND timestamp < :before
) ORDER BY month

-- name: archived-month
SELECT file, pending_file, rows FROM archived_months WHERE site_id = :site_id AND month = :month

-- name: pending-months
SELECT site_id, month, file, pending_file FROM archived_months WHERE pending_file IS NOT NULL

-- name: record-month
INSERT OR REPLACE INTO archived_months (site_id, month, file, pending_file, rows, archived_at)
VALUES (:site_id, :month, :file, :pending_file, :rows, current_timestamp)

-- name: clear-pending
UPDATE archived_months SET pending_file = NULL WHERE site_id = :site_id AND month = :month
