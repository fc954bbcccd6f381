-- One top list: the values of :column by pageviews; empty values (unknown) are left out.
SELECT :column                    AS value,
       count(*)                   AS pageviews,
       count(DISTINCT visitor_id) AS visitors
FROM scoped
WHERE :column <> ''
GROUP BY 1
ORDER BY pageviews DESC, value
LIMIT ?
