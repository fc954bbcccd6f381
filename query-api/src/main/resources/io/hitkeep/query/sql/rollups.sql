-- Rollups (Rollups, RollupAnswers): the SQL that rolls local days from raw hits into the temporary tables
-- roll_pieces and roll_values (the roller copies them into the rollup tables; a range's days that are not
-- rolled yet read them directly), and the SQL that answers a range. Each row finds its local day with an ASOF join
-- on the connection's temporary table day_starts (LocalDays.load: where each day of the site's data starts in UTC,
-- for the :zone) instead of a time zone conversion per row. Parts composed at run time are in braces: {in_days}
-- a predicate on timestamp that keeps the UTC intervals of the days being rolled, {in_reach} those and the part
-- of each day before that can share visitor ids with them (LocalDays.timestampInReach); {days} a list of DATE
-- literals; {hits} the hits rolled: the table itself, or those of a filter (FilterRollups), whose rollups are the
-- same computation over fewer hits.
--
-- Every visitor count is exact and sums over days: a visitor id is salted per UTC day, so it is seen on at
-- most two local days, next to each other, and a range's visitors are its days' visitors less, for each day
-- after its first, those shared with the day before (shared_visitors).

-- name: pieces
-- Every session active on the days being rolled, cut into one piece per local day it was active on (its
-- pageviews and engagement pings, on every day, so the links to its other days are right), with the
-- links that let a range count the session once. Also the sessions with a pageview in the reach of the day
-- before (rolled_session false): their entry and exit visitors there may be the days' too, and are compared.
CREATE OR REPLACE TEMP TABLE roll_pieces AS
WITH bounds AS (SELECT day, start_utc FROM day_starts WHERE zone = :zone),
touched AS (
    SELECT session_id FROM {hits} WHERE site_id = :site_id AND ({in_days})
    UNION
    SELECT session_id FROM engagements WHERE site_id = :site_id AND ({in_days})
),
reached AS (
    SELECT session_id FROM {hits} WHERE site_id = :site_id AND ({in_reach})
    UNION
    SELECT session_id FROM touched
),
activity AS (
    SELECT session_id, visitor_id, timestamp, path, true AS pageview FROM {hits}
    WHERE site_id = :site_id AND session_id IN (SELECT session_id FROM reached)
    UNION ALL
    SELECT session_id, visitor_id, timestamp, path, false FROM engagements
    WHERE site_id = :site_id AND session_id IN (SELECT session_id FROM reached)
),
pieces AS (
    SELECT session_id,
           b.day,
           count(*) FILTER (WHERE pageview)                 AS pageviews,
           min(timestamp) FILTER (WHERE pageview)           AS first_pageview,
           max(timestamp)                                   AS last_active,
           arg_min(path, timestamp) FILTER (WHERE pageview) AS entry_page,
           arg_max(path, timestamp) FILTER (WHERE pageview) AS exit_page,
           arg_min(visitor_id, timestamp) FILTER (WHERE pageview) AS entry_visitor,
           arg_max(visitor_id, timestamp) FILTER (WHERE pageview) AS exit_visitor
    FROM activity a ASOF JOIN bounds b ON a.timestamp >= b.start_utc
    GROUP BY session_id, b.day
)
-- The links by a join of each piece with its session's other pieces, not window functions: a session has one or
-- two pieces (its ids are of the UTC day it started; it ends with the next one), and DuckDB's window operator
-- took two thirds of this statement's time for a day's few thousand pieces (BENCHMARKS.md).
SELECT p.*,
       max(o.day) FILTER (WHERE o.day < p.day AND o.pageviews > 0) AS prev_pageview_day,
       min(o.day) FILTER (WHERE o.day > p.day AND o.pageviews > 0) AS next_pageview_day,
       min(o.day) FILTER (WHERE o.day > p.day)                     AS next_active_day,
       p.session_id IN (SELECT session_id FROM touched)             AS rolled_session
FROM pieces p LEFT JOIN pieces o ON o.session_id = p.session_id AND o.day <> p.day
GROUP BY ALL

-- name: stale-linked-days
-- The days on which the sessions with a hit or a ping in {in_changed} were active ({in_changed}: the hours with
-- hits not rolled yet, and for a filter the days it does not hold). A piece of such a session rolled on another
-- day may have stale links (a session that went on into a changed day ended there when it was rolled): that day
-- is rolled, or read fresh, with them. Sessions with nothing new keep their rolled links, so the day before today
-- is not rolled again all day for the few sessions that ran past midnight.
SELECT DISTINCT day FROM roll_pieces
WHERE session_id IN (SELECT session_id FROM {hits} WHERE site_id = :site_id AND ({in_changed})
                     UNION
                     SELECT session_id FROM engagements WHERE site_id = :site_id AND ({in_changed}))

-- name: session-rows
SELECT day, prev_pageview_day, next_pageview_day, next_active_day,
       CASE WHEN pageviews > 0 THEN day ELSE prev_pageview_day END     AS last_pageview_day,
       count(*) FILTER (WHERE pageviews > 0)                           AS starts,
       count(*) FILTER (WHERE pageviews = 1)                           AS singles,
       coalesce(sum(epoch_us(first_pageview)), 0)::HUGEINT             AS first_pageview_us,
       sum(epoch_us(last_active))::HUGEINT                             AS last_active_us
FROM roll_pieces
WHERE day IN ({days})
GROUP BY ALL

-- name: session-page-rows
-- Entry and exit pages: a session enters a range at its first piece in range with a pageview (the day of its
-- pageview before, link_day, is outside the range) and leaves at its last (link_day: the day of its pageview
-- after). Pageviews count the sessions per day, page and link. Visitors count each visitor once per day and
-- page, under the link that lets the most ranges count them (entries: none if any piece has none, else the
-- earliest; exits: none, else the latest). shared_visitors counts those also there the day before, under the
-- later of the two links (exits: the earlier), which makes a range subtract them exactly when it counts them
-- on both days (answer-lists).
WITH sides AS (
    SELECT day, 'entry_pages' AS dimension, entry_page AS value, prev_pageview_day AS link_day, entry_visitor AS visitor_id
    FROM roll_pieces WHERE pageviews > 0
    UNION ALL
    SELECT day, 'exit_pages', exit_page, next_pageview_day, exit_visitor
    FROM roll_pieces WHERE pageviews > 0
),
per_visitor AS (
    SELECT day, dimension, value, visitor_id,
           CASE WHEN count(*) > count(link_day) THEN NULL
                WHEN dimension = 'entry_pages' THEN min(link_day) ELSE max(link_day) END AS link_day
    FROM sides
    GROUP BY day, dimension, value, visitor_id
)
SELECT day, dimension, value, link_day, sum(pageviews)::BIGINT AS pageviews, sum(visitors)::BIGINT AS visitors,
       sum(shared_visitors)::BIGINT AS shared_visitors
FROM (
    SELECT day, dimension, value, link_day, 1 AS pageviews, 0 AS visitors, 0 AS shared_visitors
    FROM sides WHERE day IN ({days})
    UNION ALL
    SELECT day, dimension, value, link_day, 0, 1, 0
    FROM per_visitor WHERE day IN ({days})
    UNION ALL
    -- greatest and least skip a NULL: no link on one day leaves the other's
    SELECT v.day, v.dimension, v.value,
           CASE v.dimension WHEN 'entry_pages' THEN greatest(p.link_day, v.link_day) ELSE least(p.link_day, v.link_day) END, 0, 0, 1
    FROM per_visitor v
    JOIN per_visitor p ON p.day = v.day - 1 AND p.dimension = v.dimension AND p.value = v.value AND p.visitor_id = v.visitor_id
    WHERE v.day IN ({days})
)
GROUP BY ALL

-- name: values
-- The day totals and every top list, one row per day, list and value ('total' for the whole day):
-- pageviews, distinct visitors, and how many of those were seen the day before (shared_visitors). A visitor
-- id is salted per UTC day, so only the hits of the UTC day holding a local midnight can share ids across
-- it: {in_reach} keeps the days' hits and those of the day before from that UTC midnight on (none for a site
-- in UTC). Unpivoted and counted per visitor first: plain aggregates and one join, far less memory than a
-- distinct list per grouping set. ({columns}: each list's expression named after the list, {lists} those
-- names.)
CREATE OR REPLACE TEMP TABLE roll_values AS
WITH bounds AS (SELECT day, start_utc FROM day_starts WHERE zone = :zone),
rows AS (
    SELECT b.day, visitor_id, '' AS total, {columns}
    FROM {hits} h ASOF JOIN bounds b ON h.timestamp >= b.start_utc
    WHERE site_id = :site_id AND ({in_reach})
),
per_visitor AS (
    SELECT day, dimension, value, visitor_id, count(*) AS pageviews
    FROM (UNPIVOT rows ON total, {lists} INTO NAME dimension VALUE value)
    GROUP BY ALL
)
SELECT v.day, v.dimension, v.value, sum(v.pageviews)::BIGINT AS pageviews, count(*) AS visitors,
       count(p.visitor_id) AS shared_visitors
FROM per_visitor v
LEFT JOIN per_visitor p ON p.day = v.day - 1 AND p.dimension = v.dimension AND p.value = v.value AND p.visitor_id = v.visitor_id
WHERE v.day IN ({days})
GROUP BY ALL

-- name: answer-summary
-- A range's sessions from the rolled pieces: a session counts at its first piece in range with a
-- pageview, bounces when that is its only piece in range with pageviews and had one, and lasts from its
-- first pageview in range to its last pageview or ping in range.
SELECT coalesce(sum(starts) FILTER (WHERE prev_pageview_day IS NULL OR prev_pageview_day < :from), 0) AS sessions,
       coalesce(sum(singles) FILTER (WHERE (prev_pageview_day IS NULL OR prev_pageview_day < :from)
                                       AND (next_pageview_day IS NULL OR next_pageview_day > :to)), 0) AS bounces,
       coalesce(sum(last_active_us) FILTER (WHERE last_pageview_day >= :from
                                              AND (next_active_day IS NULL OR next_active_day > :to)), 0)
     - coalesce(sum(first_pageview_us) FILTER (WHERE prev_pageview_day IS NULL OR prev_pageview_day < :from), 0)
                                                                                                  AS duration_us
FROM ({pieces})

-- name: answer-lists
-- Each top list's values by pageviews over the range, the first :limit of each, with their visitors: the
-- days' visitors less those each day after the first shared with the day before. Entry and exit pages' rows
-- count when their link is outside the range (session-page-rows).
SELECT dimension, value, sum(pageviews) AS pageviews,
       sum(visitors) - coalesce(sum(shared_visitors) FILTER (WHERE day > :from), 0) AS visitors
FROM ({values})
WHERE CASE dimension WHEN 'entry_pages' THEN link_day IS NULL OR link_day < :from
                     WHEN 'exit_pages' THEN link_day IS NULL OR link_day > :to
                     ELSE true END
GROUP BY dimension, value
QUALIFY row_number() OVER (PARTITION BY dimension ORDER BY sum(pageviews) DESC, value) <= :limit
ORDER BY dimension, pageviews DESC, value
