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

-- The counting is composed by Funnels from the three statements below, one CTE a step, over `match_<n>` (key,
-- visitor_id, ts): the rows of the range, after the filters, that reach step n. The key is the session, or for the
-- 24-hour window the visitor. `step_<n>` holds, per row that began the funnel, the row that reached step n. A
-- visitor reaches step n+1 with a later row of the same key than the one that reached step n and, with a window
-- (:window_seconds > 0), at most that long after the row that began the funnel. From each beginning the earliest
-- such row is taken: a later one could only leave less room for the steps after it, so repeated and out-of-order
-- steps need no special case. Each step joins on the key, so its work grows with the rows one session (or one
-- visitor's day: visitor ids are per day) has of two steps (their product), not with the site. Measured on 2M hits, this join
-- took about half the time of an ASOF JOIN (which a recursive CTE may not use either) and a third of a window
-- function over both steps' rows. {step} and {previous} are step numbers.

-- name: funnel-first-step
-- Every row of the first step begins the funnel: with a window a later beginning's window ends later, and
-- without one, keeping only a session's first beginning (it does at least as well) cost more than it saved
-- (a GROUP BY over every session, 0.5 s on 10M hits).
SELECT key, visitor_id, ts AS began, ts
FROM match_{step}

-- name: funnel-next-step
SELECT previous.key, previous.visitor_id, previous.began, min(next.ts) AS ts
FROM step_{previous} AS previous
JOIN match_{step} AS next ON next.key = previous.key AND next.ts > previous.ts
     AND (:window_seconds = 0 OR next.ts <= previous.began + to_seconds(:window_seconds))
GROUP BY previous.key, previous.visitor_id, previous.began

-- name: funnel-visitors
SELECT {step} AS step, count(DISTINCT visitor_id) AS visitors
FROM step_{step}
