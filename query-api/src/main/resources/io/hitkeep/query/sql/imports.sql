-- Imports (Imports.java): another tool's export, stored as per-day aggregates beside the hits.

-- name: insert-import
INSERT INTO imports (site_id, source, file_name, status, created_by)
VALUES (:site_id, :source, :file_name, 'loading', :user_id)
RETURNING id

-- Marks a loading import as alive (a chunk of it arrived); no row: no such import is loading.
-- name: touch-loading-import
UPDATE imports SET touched_at = current_timestamp
WHERE id = :import_id AND site_id = :site_id AND status = 'loading'
RETURNING id

-- Loading imports nobody has added to for a while: their upload died with its query role or connection.
-- name: abandoned-imports
SELECT id FROM imports
WHERE status = 'loading' AND touched_at < CAST(current_timestamp AS TIMESTAMP) - INTERVAL 15 MINUTE

-- name: import-of-site
SELECT id, source, status FROM imports WHERE id = :import_id AND site_id = :site_id

-- name: imports-of-site
SELECT id, source, file_name, status, strftime(from_day, '%Y-%m-%d') AS from_day, strftime(to_day, '%Y-%m-%d') AS to_day,
       pageviews, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at
FROM imports WHERE site_id = :site_id
ORDER BY id

-- An import's rows go first, the import last.
-- name: delete-days-of-import
DELETE FROM imported_days WHERE import_id = :import_id

-- name: delete-lists-of-import
DELETE FROM imported_lists WHERE import_id = :import_id

-- name: delete-pageviews-of-import
DELETE FROM imported_pageviews WHERE import_id = :import_id

-- name: delete-import
DELETE FROM imports WHERE id = :import_id

-- A GoatCounter export's pageviews as the site's days (in its time zone): a session is a visit and a
-- visitor of the day, a visit of one pageview a bounce, its duration from its first to its last pageview.
-- name: goatcounter-days
INSERT INTO imported_days (import_id, day, visitors, pageviews, visits, bounces, visit_duration)
WITH local AS (
    SELECT session, timestamp, CAST(timezone(:timezone, timestamp::TIMESTAMPTZ) AS DATE) AS day
    FROM imported_pageviews
    WHERE import_id = :import_id AND NOT is_event
), sessions AS (
    SELECT day, session, count(*) AS pageviews, date_diff('second', min(timestamp), max(timestamp)) AS duration
    FROM local
    GROUP BY day, session
)
SELECT :import_id, day, count(*), sum(pageviews), count(*), count(*) FILTER (WHERE pageviews = 1), sum(duration)
FROM sessions
GROUP BY day

-- The same pageviews as the top lists of each day; events by name. Visitors are the day's sessions.
-- name: goatcounter-lists
INSERT INTO imported_lists (import_id, day, list, value, visitors, pageviews)
WITH local AS (
    SELECT *, CAST(timezone(:timezone, timestamp::TIMESTAMPTZ) AS DATE) AS day
    FROM imported_pageviews
    WHERE import_id = :import_id
), pageviews AS (
    SELECT * FROM local WHERE NOT is_event
), named AS (
    SELECT day, session, 'pages' AS list, path AS value FROM pageviews
    UNION ALL SELECT day, session, 'referrers', referrer_host FROM pageviews
    UNION ALL SELECT day, session, 'sources', source FROM pageviews
    UNION ALL SELECT day, session, 'utm_sources', utm_source FROM pageviews
    UNION ALL SELECT day, session, 'countries', country FROM pageviews
    UNION ALL SELECT day, session, 'browsers', browser FROM pageviews
    UNION ALL SELECT day, session, 'browser_versions', CASE WHEN browser_version = '' THEN '' ELSE browser || ' ' || browser_version END
              FROM pageviews
    UNION ALL SELECT day, session, 'os', os FROM pageviews
    UNION ALL SELECT day, session, 'os_versions', CASE WHEN os_version = '' THEN '' ELSE os || ' ' || os_version END FROM pageviews
    UNION ALL SELECT day, session, 'devices', device FROM pageviews
    UNION ALL SELECT day, session, 'events', path FROM local WHERE is_event
), visits AS (
    SELECT day, session, arg_min(path, timestamp) AS entry_page, arg_max(path, timestamp) AS exit_page
    FROM pageviews
    GROUP BY day, session
)
SELECT :import_id, day, list, value, count(DISTINCT session), count(*) FROM named WHERE value <> '' GROUP BY day, list, value
UNION ALL
SELECT :import_id, day, 'entry_pages', entry_page, count(*), count(*) FROM visits GROUP BY day, entry_page
UNION ALL
SELECT :import_id, day, 'exit_pages', exit_page, count(*), count(*) FROM visits GROUP BY day, exit_page

-- The days an import covers and its pageviews.
-- name: import-range
SELECT strftime(min(day), '%Y-%m-%d') AS from_day, strftime(max(day), '%Y-%m-%d') AS to_day,
       coalesce(sum(pageviews), 0) AS pageviews, count(*) AS days
FROM imported_days
WHERE import_id = :import_id

-- Another finished import of the site with days in the range: the two would count those days twice.
-- name: overlapping-import
SELECT id, strftime(from_day, '%Y-%m-%d') AS from_day, strftime(to_day, '%Y-%m-%d') AS to_day
FROM imports
WHERE site_id = :site_id AND status = 'done' AND id <> :import_id
  AND from_day <= CAST(:to AS DATE) AND to_day >= CAST(:from AS DATE)
ORDER BY id
LIMIT 1

-- Tracked pageviews on the import's days: both are counted there, so the dashboard warns.
-- name: tracked-days-in-range
SELECT count(DISTINCT CAST(timezone(:timezone, timestamp::TIMESTAMPTZ) AS DATE))
FROM hits
WHERE site_id = :site_id AND timestamp >= CAST(:start AS TIMESTAMP) AND timestamp < CAST(:end AS TIMESTAMP)

-- name: mark-import-done
UPDATE imports SET status = 'done', from_day = CAST(:from AS DATE), to_day = CAST(:to AS DATE), pageviews = :pageviews,
                   touched_at = current_timestamp
WHERE id = :import_id
