-- Passkeys (WebAuthn credentials). A user's handle is random, never the user id or e-mail: authenticators
-- keep it and hand it back, so it must say nothing about the account. Binary values are base64url text.
CREATE TABLE passkey_users (
    user_id     INTEGER PRIMARY KEY,
    user_handle VARCHAR NOT NULL UNIQUE
);

CREATE SEQUENCE passkey_ids START 1;
CREATE TABLE passkeys (
    id              INTEGER PRIMARY KEY DEFAULT nextval('passkey_ids'),
    credential_id   VARCHAR NOT NULL UNIQUE,
    user_id         INTEGER NOT NULL,
    user_handle     VARCHAR NOT NULL,
    public_key_cose VARCHAR NOT NULL,
    signature_count BIGINT NOT NULL DEFAULT 0,   -- must grow on each sign-in unless the authenticator keeps none
    name            VARCHAR NOT NULL,
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    last_used_at    TIMESTAMP
);
