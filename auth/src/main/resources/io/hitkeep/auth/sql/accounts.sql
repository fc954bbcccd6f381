-- Users and API keys (Accounts.java): hashes only, never a password or a key.

-- name: user-count
SELECT count(*) FROM users

-- name: user-with-email
-- e-mail addresses are matched without regard to case
SELECT 1 FROM users WHERE lower(email) = lower(:email)

-- name: insert-user
INSERT INTO users (email, password_hash) VALUES (:email, :password_hash) RETURNING id

-- name: sign-in-by-email
SELECT id, email, password_hash, coalesce(s.session_epoch, 0), coalesce(s.totp_enabled, false),
       (SELECT count(*) FROM passkeys WHERE passkeys.user_id = users.id)
FROM users LEFT JOIN user_security s ON s.user_id = users.id WHERE lower(email) = lower(:email)

-- name: user
SELECT id, email FROM users WHERE id = :user_id

-- name: first-team-of-user
SELECT min(team_id) FROM team_members WHERE user_id = :user_id

-- name: insert-api-key
INSERT INTO api_keys (user_id, name, key_hash, prefix, team_id, role)
VALUES (:user_id, :name, :key_hash, :prefix, :team_id, :role) RETURNING id

-- name: api-keys-of-user
SELECT k.id, k.name, k.prefix, strftime(k.created_at, '%Y-%m-%dT%H:%M:%SZ'), k.team_id, coalesce(t.name, ''),
       k.role, k.user_id, coalesce(u.email, '')
FROM api_keys k LEFT JOIN teams t ON t.id = k.team_id LEFT JOIN users u ON u.id = k.user_id
WHERE k.user_id = :user_id ORDER BY k.id DESC

-- name: api-keys-of-team
SELECT k.id, k.name, k.prefix, strftime(k.created_at, '%Y-%m-%dT%H:%M:%SZ'), k.team_id, coalesce(t.name, ''),
       k.role, k.user_id, coalesce(u.email, '')
FROM api_keys k LEFT JOIN teams t ON t.id = k.team_id LEFT JOIN users u ON u.id = k.user_id
WHERE k.team_id = :team_id ORDER BY k.id DESC

-- name: api-key
SELECT user_id, team_id, name FROM api_keys WHERE id = :id

-- name: delete-api-key
DELETE FROM api_keys WHERE id = :id

-- name: api-key-by-hash
-- the join drops a key whose owner left its team; the caller takes the weaker of both roles
SELECT k.id, k.user_id, k.team_id, k.role, m.role
FROM api_keys k JOIN team_members m ON m.team_id = k.team_id AND m.user_id = k.user_id
WHERE k.key_hash = :key_hash
