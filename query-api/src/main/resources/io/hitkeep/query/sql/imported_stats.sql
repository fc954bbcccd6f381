-- Imported data in a stats range (ImportedStats.java): only finished imports of the site count.

-- name: imported-days
SELECT strftime(day, '%Y-%m-%d') AS day, sum(visitors) AS visitors, sum(pageviews) AS pageviews, sum(visits) AS visits,
       sum(bounces) AS bounces, sum(visit_duration) AS visit_duration
FROM imported_days
WHERE import_id IN (SELECT id FROM imports WHERE site_id = :site_id AND status = 'done')
  AND day BETWEEN CAST(:from AS DATE) AND CAST(:to AS DATE)
GROUP BY day
ORDER BY day

-- Each top list's first :limit values by pageviews (for events: their count), as the stats order them.
-- name: imported-top-lists
SELECT list, value, pageviews, visitors
FROM (
    SELECT list, value, sum(pageviews) AS pageviews, sum(visitors) AS visitors,
           row_number() OVER (PARTITION BY list ORDER BY sum(pageviews) DESC, value) AS rank
    FROM imported_lists
    WHERE import_id IN (SELECT id FROM imports WHERE site_id = :site_id AND status = 'done')
      AND day BETWEEN CAST(:from AS DATE) AND CAST(:to AS DATE)
      AND value <> ''
    GROUP BY list, value
)
WHERE rank <= :limit
ORDER BY list, rank
