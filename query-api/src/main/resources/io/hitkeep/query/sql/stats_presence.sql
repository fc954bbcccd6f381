-- name: events-in-range
-- Whether the site has any custom event in the range: most sites send none, and the events' parts of an answer
-- cost a few milliseconds each even over no rows (BENCHMARKS.md, "Seventh session"), so they are left out then.
-- 1 or 0, a number for Sql.number.
SELECT CAST(EXISTS (
    SELECT 1 FROM events
    WHERE site_id = :site_id AND timestamp >= CAST(:start AS TIMESTAMP) AND timestamp < CAST(:end AS TIMESTAMP)
) AS INTEGER)
