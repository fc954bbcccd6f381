-- Account security (issue 5): revoked sessions, per-user session epoch and TOTP state, recovery codes,
-- and the audit log. Separate tables rather than new columns on users: DuckDB cannot ALTER a table
-- that other constraints depend on.
CREATE TABLE user_security (
    user_id        INTEGER PRIMARY KEY,
    session_epoch  BIGINT NOT NULL DEFAULT 0,     -- tokens carrying a lower epoch are refused
    totp_secret    VARCHAR,                       -- base32; pending until totp_enabled
    totp_enabled   BOOLEAN NOT NULL DEFAULT false,
    totp_last_step BIGINT NOT NULL DEFAULT 0      -- last accepted 30 s step: a code is accepted once
);

-- Tokens signed out before they expire; rows are dropped once the token would have expired anyway.
CREATE TABLE revoked_tokens (
    jti        VARCHAR PRIMARY KEY,
    expires_at TIMESTAMP NOT NULL
);

-- Single-use TOTP recovery codes, SHA-256 hashed (they are random, so a fast hash is enough).
CREATE TABLE recovery_codes (
    user_id   INTEGER NOT NULL,
    code_hash VARCHAR NOT NULL,
    used_at   TIMESTAMP
);

-- What happened to an account. ip is the client's network (IPv4 /24, IPv6 /48), never a full address.
CREATE TABLE audit_events (
    time    TIMESTAMP NOT NULL DEFAULT current_timestamp,
    user_id INTEGER NOT NULL,
    event   VARCHAR NOT NULL,
    detail  VARCHAR NOT NULL,
    ip      VARCHAR NOT NULL
);
