-- Public, read-only share links of a site's dashboard (issue 5). Only the token's SHA-256 is kept: the
-- link is shown once, like an API key. An optional password is stored as an argon2id hash.
CREATE SEQUENCE share_link_ids START 1;
CREATE TABLE share_links (
    id            INTEGER PRIMARY KEY DEFAULT nextval('share_link_ids'),
    site_id       INTEGER NOT NULL,
    label         VARCHAR NOT NULL,
    token_hash    VARCHAR NOT NULL UNIQUE,
    password_hash VARCHAR,
    created_by    INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Password reset links: single use, short-lived, SHA-256 of the token only.
CREATE TABLE password_resets (
    token_hash VARCHAR PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
