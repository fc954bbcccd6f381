-- Passkeys (PasskeyRecords.java): each user's WebAuthn user handle and their credentials' public keys.

-- name: email-of-user
SELECT email FROM users WHERE id = :user_id

-- name: insert-user-handle
-- a user keeps the handle made first; a second request finds it and makes none
INSERT INTO passkey_users (user_id, user_handle) VALUES (:user_id, :user_handle) ON CONFLICT DO NOTHING

-- name: user-handle
SELECT user_handle FROM passkey_users WHERE user_id = :user_id

-- name: owner-by-email
SELECT users.id, users.email, passkey_users.user_handle FROM users
JOIN passkey_users ON passkey_users.user_id = users.id WHERE lower(users.email) = lower(:email)

-- name: owner-by-user-handle
SELECT users.id, users.email, passkey_users.user_handle FROM users
JOIN passkey_users ON passkey_users.user_id = users.id WHERE passkey_users.user_handle = :user_handle

-- name: credential-ids-of-user
SELECT credential_id FROM passkeys WHERE user_id = :user_id ORDER BY id

-- name: credential
SELECT p.id, p.user_id, p.user_handle, p.public_key_cose, p.signature_count, p.name, coalesce(users.email, ''),
       coalesce(s.session_epoch, 0)
FROM passkeys p LEFT JOIN users ON users.id = p.user_id LEFT JOIN user_security s ON s.user_id = p.user_id
WHERE p.credential_id = :credential_id

-- name: count-credential
SELECT count(*) FROM passkeys WHERE credential_id = :credential_id

-- name: insert-passkey
INSERT INTO passkeys (credential_id, user_id, user_handle, public_key_cose, signature_count, name)
VALUES (:credential_id, :user_id, :user_handle, :public_key_cose, :signature_count, :name) RETURNING id

-- name: passkeys-of-user
SELECT id, name, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ'), strftime(last_used_at, '%Y-%m-%dT%H:%M:%SZ')
FROM passkeys WHERE user_id = :user_id ORDER BY id

-- name: passkey-of-user
SELECT id, name, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ'), strftime(last_used_at, '%Y-%m-%dT%H:%M:%SZ')
FROM passkeys WHERE id = :id AND user_id = :user_id

-- name: rename-passkey
UPDATE passkeys SET name = :name WHERE id = :id AND user_id = :user_id

-- name: delete-passkey
DELETE FROM passkeys WHERE id = :id AND user_id = :user_id RETURNING id, name

-- name: signature-count
SELECT signature_count FROM passkeys WHERE credential_id = :credential_id

-- name: record-use
UPDATE passkeys SET signature_count = :signature_count, last_used_at = now()::TIMESTAMP WHERE credential_id = :credential_id
