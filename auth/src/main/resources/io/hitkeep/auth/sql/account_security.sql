-- Account security (AccountSecurity.java): revoked sessions and session epochs, TOTP state, recovery
-- codes (hashes only) and the audit log. Every connection runs in UTC, so now()::TIMESTAMP compares with
-- the stored UTC timestamps.

-- name: unexpired-revoked-tokens
SELECT jti, epoch(expires_at)::BIGINT FROM revoked_tokens WHERE expires_at > now()::TIMESTAMP

-- name: raised-session-epochs
SELECT user_id, session_epoch FROM user_security WHERE session_epoch > 0

-- name: delete-expired-revoked-tokens
DELETE FROM revoked_tokens WHERE expires_at <= now()::TIMESTAMP

-- name: count-revoked-token
SELECT count(*) FROM revoked_tokens WHERE jti = :jti

-- name: insert-revoked-token
INSERT INTO revoked_tokens (jti, expires_at) VALUES (:jti, to_timestamp(:expires_at)::TIMESTAMP) ON CONFLICT DO NOTHING

-- name: raise-session-epoch
UPDATE user_security SET session_epoch = session_epoch + 1 WHERE user_id = :user_id

-- name: password-hash-of-user
SELECT password_hash FROM users WHERE id = :user_id

-- name: user-id-by-email
SELECT id FROM users WHERE lower(email) = lower(:email)

-- name: insert-password-reset
INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (:token_hash, :user_id, to_timestamp(:expires_at)::TIMESTAMP)

-- name: user-of-open-password-reset
SELECT user_id FROM password_resets WHERE token_hash = :token_hash AND used_at IS NULL AND expires_at > now()::TIMESTAMP

-- name: use-open-password-resets
-- one link used voids the user's other open links too
UPDATE password_resets SET used_at = current_timestamp WHERE user_id = :user_id AND used_at IS NULL

-- name: set-password-hash
UPDATE users SET password_hash = :password_hash WHERE id = :user_id

-- name: set-totp-secret
UPDATE user_security SET totp_secret = :secret WHERE user_id = :user_id

-- name: turn-totp-on
UPDATE user_security SET totp_enabled = true WHERE user_id = :user_id

-- name: insert-recovery-code
INSERT INTO recovery_codes (user_id, code_hash) VALUES (:user_id, :code_hash)

-- name: turn-totp-off
UPDATE user_security SET totp_enabled = false, totp_secret = NULL WHERE user_id = :user_id

-- name: unused-recovery-code
-- rowid: the table has no key of its own, and only this one code is to be marked
SELECT rowid FROM recovery_codes WHERE user_id = :user_id AND code_hash = :code_hash AND used_at IS NULL LIMIT 1

-- name: mark-recovery-code-used
UPDATE recovery_codes SET used_at = now()::TIMESTAMP WHERE rowid = :rowid

-- name: count-unused-recovery-codes
SELECT count(*) FROM recovery_codes WHERE user_id = :user_id AND used_at IS NULL

-- name: insert-audit-event
INSERT INTO audit_events (user_id, event, detail, ip, team_id) VALUES (:user_id, :event, :detail, :ip, :team_id)

-- name: audit-events-of-user
SELECT epoch_ms(time), event, detail, ip FROM audit_events WHERE user_id = :user_id
ORDER BY time DESC, rowid DESC LIMIT :limit

-- name: set-totp-last-step
UPDATE user_security SET totp_last_step = :step WHERE user_id = :user_id

-- name: delete-recovery-codes
DELETE FROM recovery_codes WHERE user_id = :user_id

-- name: ensure-security-row
INSERT INTO user_security (user_id) VALUES (:user_id) ON CONFLICT DO NOTHING

-- name: security-state
SELECT session_epoch, totp_secret, totp_enabled, totp_last_step FROM user_security WHERE user_id = :user_id
