-- Share links (ShareLinks.java): the token is stored as its SHA-256 only, the password as its argon2id hash.

-- name: insert-share-link
INSERT INTO share_links (site_id, label, token_hash, password_hash, created_by)
VALUES (:site_id, :label, :token_hash, :password_hash, :user_id)
RETURNING id, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ')

-- name: share-links-of-site
SELECT id, label, password_hash IS NOT NULL, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ')
FROM share_links WHERE site_id = :site_id ORDER BY id

-- name: delete-share-link
DELETE FROM share_links WHERE id = :id AND site_id = :site_id RETURNING id

-- name: share-link-by-token
SELECT l.id, l.site_id, l.password_hash, s.name, s.domain, s.timezone
FROM share_links l JOIN sites s ON s.id = l.site_id WHERE l.token_hash = :token_hash
