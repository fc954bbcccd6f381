-- Annotations (Annotations.java): notes on days of a site's chart.

-- name: insert-annotation
INSERT INTO annotations (site_id, day, text, created_by) VALUES (:site_id, CAST(:day AS DATE), :text, :user_id)
RETURNING id

-- name: annotations-of-site
SELECT id, strftime(day, '%Y-%m-%d'), text FROM annotations
WHERE site_id = :site_id AND day BETWEEN CAST(:from AS DATE) AND CAST(:to AS DATE)
ORDER BY day, id

-- name: delete-annotation
DELETE FROM annotations WHERE id = :id AND site_id = :site_id RETURNING id
