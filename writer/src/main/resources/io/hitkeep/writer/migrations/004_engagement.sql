-- Engagement pings: the tracker says how long a page was visible when it is hidden. Their time ends the
-- session (a one-page visit gets a real duration); engaged_ms is kept for time-on-page figures.
CREATE TABLE engagements (
    timestamp  TIMESTAMP NOT NULL,    -- UTC, when the page was hidden
    site_id    INTEGER NOT NULL,
    path       VARCHAR NOT NULL,
    visitor_id BIGINT NOT NULL,
    session_id BIGINT NOT NULL,
    engaged_ms INTEGER NOT NULL
);
