-- Teams, their members and roles, and invitations (Teams.java).

-- name: role-of-member
SELECT role FROM team_members WHERE team_id = :team_id AND user_id = :user_id

-- name: memberships-of-user
SELECT team_id, role FROM team_members WHERE user_id = :user_id ORDER BY team_id

-- name: teams-of-user
SELECT t.id, t.name, m.role,
       (SELECT count(*) FROM team_members x WHERE x.team_id = t.id),
       (SELECT count(*) FROM sites s WHERE s.team_id = t.id)
FROM teams t JOIN team_members m ON m.team_id = t.id
WHERE m.user_id = :user_id ORDER BY t.id

-- name: insert-team
INSERT INTO teams (name, created_by) VALUES (:name, :user_id) RETURNING id

-- name: team
SELECT id, name FROM teams WHERE id = :team_id

-- name: members-of-team
SELECT u.id, u.email, m.role, strftime(m.joined_at, '%Y-%m-%dT%H:%M:%SZ')
FROM team_members m JOIN users u ON u.id = m.user_id
WHERE m.team_id = :team_id ORDER BY m.joined_at, u.id

-- name: rename-team
UPDATE teams SET name = :name WHERE id = :team_id

-- name: count-owners
SELECT count(*) FROM team_members WHERE team_id = :team_id AND role = 'owner'

-- name: add-member
INSERT INTO team_members (team_id, user_id, role) VALUES (:team_id, :user_id, :role)

-- name: change-role
UPDATE team_members SET role = :role WHERE team_id = :team_id AND user_id = :user_id

-- name: delete-membership
DELETE FROM team_members WHERE team_id = :team_id AND user_id = :user_id

-- name: delete-keys-of-member
-- a key acts for its owner inside one team, so it goes when they leave that team
DELETE FROM api_keys WHERE team_id = :team_id AND user_id = :user_id

-- name: insert-invitation
INSERT INTO invitations (team_id, role, email, token_hash, created_by, expires_at)
VALUES (:team_id, :role, :email, :token_hash, :user_id, to_timestamp(:expires_at)::TIMESTAMP)
RETURNING id

-- name: open-invitations-of-team
SELECT id, role, email,
       strftime(created_at, '%Y-%m-%dT%H:%M:%SZ'), strftime(expires_at, '%Y-%m-%dT%H:%M:%SZ')
FROM invitations
WHERE team_id = :team_id AND accepted_at IS NULL AND expires_at > now()::TIMESTAMP ORDER BY id

-- name: revoke-open-invitation
DELETE FROM invitations WHERE id = :id AND team_id = :team_id AND accepted_at IS NULL RETURNING id

-- name: open-invitation-by-token
-- expires_at is a UTC TIMESTAMP; every connection runs in UTC, so now()::TIMESTAMP is UTC too
SELECT i.id, i.team_id, t.name, i.role, i.email, coalesce(u.email, ''), epoch(i.expires_at)::BIGINT
FROM invitations i JOIN teams t ON t.id = i.team_id
LEFT JOIN users u ON u.id = i.created_by
WHERE i.token_hash = :token_hash AND i.accepted_at IS NULL AND i.expires_at > now()::TIMESTAMP

-- name: mark-invitation-accepted
UPDATE invitations SET accepted_by = :user_id, accepted_at = current_timestamp WHERE id = :id

-- name: email-of-user
SELECT email FROM users WHERE id = :user_id

-- name: team-audit-events
-- the team's own events, and the account events (no team) of its current members
SELECT epoch_ms(a.time), a.event, a.detail, a.ip, a.user_id, coalesce(u.email, '')
FROM audit_events a LEFT JOIN users u ON u.id = a.user_id
WHERE a.team_id = :team_id
   OR (a.team_id IS NULL AND a.user_id IN (SELECT user_id FROM team_members WHERE team_id = :team_id))
ORDER BY a.time DESC, a.rowid DESC LIMIT :limit
