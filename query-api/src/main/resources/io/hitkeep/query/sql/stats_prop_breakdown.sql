-- Custom events by the value of one property (the first parameter, its key), over the scoped events: how often
-- each event was sent with each value, and by how many visitors. Events without that property are left out.
-- Values read as in event_props: strings without their quotes, numbers and booleans as JSON text.
SELECT name                                                                                       AS event,
       CASE WHEN property.type = 'VARCHAR' THEN property.value ->> '$' ELSE CAST(property.value AS VARCHAR) END AS value,
       count(*)                                                                                   AS count,
       count(DISTINCT visitor_id)                                                                 AS visitors
FROM scoped, json_each(scoped.props) AS property
WHERE property.key = ?
GROUP BY ALL
ORDER BY count DESC, event, value
LIMIT ?
