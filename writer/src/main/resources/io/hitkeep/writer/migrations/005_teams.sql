-- Teams and roles (issue 5): sites and API keys belong to a team; people join teams with a role.
CREATE SEQUENCE team_ids START 1;
CREATE TABLE teams (
    id         INTEGER PRIMARY KEY DEFAULT nextval('team_ids'),
    name       VARCHAR NOT NULL,
    created_by INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE team_members (
    team_id   INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    role      VARCHAR NOT NULL,          -- member, admin, owner (core Role)
    joined_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (team_id, user_id)
);

-- Invitations by link: the token is shown once to the inviter; only its SHA-256 is kept.
CREATE SEQUENCE invitation_ids START 1;
CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY DEFAULT nextval('invitation_ids'),
    team_id     INTEGER NOT NULL,
    role        VARCHAR NOT NULL,
    email       VARCHAR NOT NULL,        -- who it is meant for, '' for anyone holding the link
    token_hash  VARCHAR NOT NULL UNIQUE,
    created_by  INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    expires_at  TIMESTAMP NOT NULL,
    accepted_by INTEGER,
    accepted_at TIMESTAMP
);

ALTER TABLE sites ADD COLUMN team_id INTEGER;
ALTER TABLE api_keys ADD COLUMN team_id INTEGER;
ALTER TABLE api_keys ADD COLUMN role VARCHAR;
ALTER TABLE audit_events ADD COLUMN team_id INTEGER;

-- Before teams every user owned their own sites and keys: each becomes the owner of a team of their own.
INSERT INTO teams (name, created_by) SELECT split_part(email, '@', 1) || '''s team', id FROM users ORDER BY id;
INSERT INTO team_members (team_id, user_id, role) SELECT id, created_by, 'owner' FROM teams;
UPDATE sites SET team_id = (SELECT t.id FROM teams t WHERE t.created_by = sites.owner_id);
UPDATE api_keys SET team_id = (SELECT t.id FROM teams t WHERE t.created_by = api_keys.user_id), role = 'owner';
