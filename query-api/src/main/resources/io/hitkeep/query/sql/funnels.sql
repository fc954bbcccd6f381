-- Funnels (Funnels.java): stored with their steps as a JSON array, and the visitors who reached each step.

-- name: insert-funnel
INSERT INTO funnels (site_id, name, step_window, steps, created_by)
VALUES (:site_id, :name, :step_window, :steps, :user_id)
RETURNING id

-- name: funnels-of-site
SELECT id, name, step_window, steps FROM funnels WHERE site_id = :site_id ORDER BY id

-- name: funnel
SELECT id, name, step_window, steps FROM funnels WHERE id = :id AND site_id = :site_id

-- name: delete-funnel
DELETE FROM funnels WHERE id = :id AND site_id = :site_id RETURNING id, name

-- name: funnel-visitors
-- The visitors who reached each step, over `matches` (step, key, visitor_id, ts): every row of the range, after
-- the filters, that reaches a step (Funnels composes it from the steps' conditions). The key is the session, or
-- for the 24-hour window the visitor. A visitor reaches step n+1 with a later row of the same key than the one
-- that reached step n and, with a window (:window_seconds > 0), at most that long after the row that began the
-- funnel. From each beginning the earliest next row is taken (ASOF JOIN): a later one could only leave less
-- room for the steps after it, so repeated or out-of-order steps need no special case. Without a window a
-- session's first beginning does at least as well as any later one, so only it is followed; with a window every
-- beginning is (a later one has its window end later). At most 8 steps: the recursion ends there.
WITH RECURSIVE beginnings AS (
    SELECT key, visitor_id, ts
    FROM matches
    WHERE step = 1
    QUALIFY :window_seconds > 0 OR ts = min(ts) OVER (PARTITION BY key)
),
reached(key, visitor_id, step, began, ts) AS (
    SELECT key, visitor_id, 1, ts, ts FROM beginnings
    UNION ALL
    SELECT r.key, r.visitor_id, r.step + 1, r.began, m.ts
    FROM reached AS r ASOF JOIN matches AS m ON m.key = r.key AND m.step = r.step + 1 AND m.ts > r.ts
    WHERE :window_seconds = 0 OR m.ts <= r.began + to_seconds(:window_seconds)
)
SELECT step, count(DISTINCT visitor_id) AS visitors
FROM reached
GROUP BY step
ORDER BY step
