-- Custom events by name, over the scoped events table.
SELECT name                       AS value,
       count(*)                   AS count,
       count(DISTINCT visitor_id) AS visitors
FROM scoped
GROUP BY 1
ORDER BY count DESC, value
LIMIT ?
