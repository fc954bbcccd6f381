-- Digest subscriptions (Subscriptions.java): one row per user and site.

-- name: site-of
SELECT id, team_id, name, timezone, domain FROM sites WHERE id = :site_id

-- name: subscription
SELECT weekly, monthly FROM report_subscriptions WHERE user_id = :user_id AND site_id = :site_id

-- name: upsert-subscription
INSERT INTO report_subscriptions (user_id, site_id, weekly, monthly, week_sent, month_sent, updated_at)
VALUES (:user_id, :site_id, :weekly, :monthly, CAST(:week_sent AS DATE), CAST(:month_sent AS DATE), CAST(:now AS TIMESTAMP))
ON CONFLICT (user_id, site_id) DO UPDATE SET
    weekly = excluded.weekly,
    monthly = excluded.monthly,
    -- a period turned on now starts counting from the period just ended; one left on keeps its place
    week_sent = CASE WHEN report_subscriptions.weekly THEN report_subscriptions.week_sent ELSE excluded.week_sent END,
    month_sent = CASE WHEN report_subscriptions.monthly THEN report_subscriptions.month_sent ELSE excluded.month_sent END,
    updated_at = excluded.updated_at

-- name: stamp-send-now
UPDATE report_subscriptions SET sent_now_at = CAST(:now AS TIMESTAMP)
WHERE user_id = :user_id AND site_id = :site_id
  AND (sent_now_at IS NULL OR sent_now_at < CAST(:since AS TIMESTAMP))

-- name: ensure-subscription-row
INSERT INTO report_subscriptions (user_id, site_id, updated_at)
VALUES (:user_id, :site_id, CAST(:now AS TIMESTAMP))
ON CONFLICT (user_id, site_id) DO NOTHING

-- name: due-subscriptions
SELECT r.user_id, u.email, r.site_id, s.name, s.timezone, r.weekly, r.monthly,
       strftime(r.week_sent, '%Y-%m-%d'), strftime(r.month_sent, '%Y-%m-%d')
FROM report_subscriptions r
JOIN users u ON u.id = r.user_id
JOIN sites s ON s.id = r.site_id
WHERE r.weekly OR r.monthly
ORDER BY r.site_id, r.user_id

-- name: mark-week-sent
UPDATE report_subscriptions SET week_sent = CAST(:start AS DATE)
WHERE user_id = :user_id AND site_id = :site_id AND weekly AND (week_sent IS NULL OR week_sent < CAST(:start AS DATE))

-- name: mark-month-sent
UPDATE report_subscriptions SET month_sent = CAST(:start AS DATE)
WHERE user_id = :user_id AND site_id = :site_id AND monthly AND (month_sent IS NULL OR month_sent < CAST(:start AS DATE))

-- name: unsubscribe-week
UPDATE report_subscriptions SET weekly = false, updated_at = CAST(:now AS TIMESTAMP)
WHERE user_id = :user_id AND site_id = :site_id

-- name: unsubscribe-month
UPDATE report_subscriptions SET monthly = false, updated_at = CAST(:now AS TIMESTAMP)
WHERE user_id = :user_id AND site_id = :site_id

-- name: delete-subscription
DELETE FROM report_subscriptions WHERE user_id = :user_id AND site_id = :site_id

-- name: email-of-user
SELECT email FROM users WHERE id = :user_id
