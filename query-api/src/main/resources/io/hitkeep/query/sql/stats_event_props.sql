-- Custom event properties: each (event, property, value) over the scoped events table, with how often it
-- was sent and by how many visitors. Props are a flat JSON object; strings lose their quotes, numbers and
-- booleans keep their JSON text.
SELECT name                                                                         AS event,
       p.key                                                                        AS key,
       CASE WHEN p.type = 'VARCHAR' THEN p.value ->> '$' ELSE CAST(p.value AS VARCHAR) END AS value,
       count(*)                                                                     AS count,
       count(DISTINCT visitor_id)                                                   AS visitors
FROM scoped, json_each(scoped.props) AS p
GROUP BY ALL
ORDER BY count DESC, event, key, value
LIMIT ?
