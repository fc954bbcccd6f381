-- Accounts and sites: few rows, read and written by store requests.
CREATE SEQUENCE user_ids START 1;
CREATE TABLE users (
    id            INTEGER PRIMARY KEY DEFAULT nextval('user_ids'),
    email         VARCHAR NOT NULL UNIQUE,
    password_hash VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE site_ids START 1;
CREATE TABLE sites (
    id         INTEGER PRIMARY KEY DEFAULT nextval('site_ids'),
    owner_id   INTEGER NOT NULL,
    domain     VARCHAR NOT NULL UNIQUE,
    name       VARCHAR NOT NULL,
    timezone   VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE api_key_ids START 1;
CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY DEFAULT nextval('api_key_ids'),
    user_id    INTEGER NOT NULL,
    name       VARCHAR NOT NULL,
    key_hash   VARCHAR NOT NULL UNIQUE,   -- SHA-256 of the key; the key itself is shown once and never stored
    prefix     VARCHAR NOT NULL,          -- the first characters, so a user can tell keys apart
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Hits: appended by the writer through the DuckDB Appender, in this column order (see HitTables).
-- No IP address and no user-agent string: only what was derived from them.
CREATE TABLE hits (
    timestamp      TIMESTAMP NOT NULL,    -- UTC
    site_id        INTEGER NOT NULL,
    hostname       VARCHAR NOT NULL,
    path           VARCHAR NOT NULL,
    referrer_host  VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    utm_source     VARCHAR NOT NULL,
    utm_medium     VARCHAR NOT NULL,
    utm_campaign   VARCHAR NOT NULL,
    utm_term       VARCHAR NOT NULL,
    utm_content    VARCHAR NOT NULL,
    country        VARCHAR NOT NULL,
    browser        VARCHAR NOT NULL,
    os             VARCHAR NOT NULL,
    device         VARCHAR NOT NULL,
    language       VARCHAR NOT NULL,
    viewport_width INTEGER NOT NULL,
    visitor_id     BIGINT NOT NULL,
    session_id     BIGINT NOT NULL
);

-- Custom events carry the same dimensions as hits, so one filter applies to both.
CREATE TABLE events (
    timestamp      TIMESTAMP NOT NULL,
    site_id        INTEGER NOT NULL,
    name           VARCHAR NOT NULL,
    props          VARCHAR NOT NULL,      -- flat JSON object
    hostname       VARCHAR NOT NULL,
    path           VARCHAR NOT NULL,
    referrer_host  VARCHAR NOT NULL,
    source         VARCHAR NOT NULL,
    utm_source     VARCHAR NOT NULL,
    utm_medium     VARCHAR NOT NULL,
    utm_campaign   VARCHAR NOT NULL,
    utm_term       VARCHAR NOT NULL,
    utm_content    VARCHAR NOT NULL,
    country        VARCHAR NOT NULL,
    browser        VARCHAR NOT NULL,
    os             VARCHAR NOT NULL,
    device         VARCHAR NOT NULL,
    language       VARCHAR NOT NULL,
    viewport_width INTEGER NOT NULL,
    visitor_id     BIGINT NOT NULL,
    session_id     BIGINT NOT NULL
);

-- The last JetStream sequence whose hits are in the tables above, committed in the same transaction:
-- a message at or below it is a redelivery and is skipped, so nothing is counted twice.
CREATE TABLE ingest_progress (
    stream        VARCHAR PRIMARY KEY,
    last_sequence BIGINT NOT NULL
);
