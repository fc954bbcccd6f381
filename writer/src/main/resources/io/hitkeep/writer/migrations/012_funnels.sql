-- Funnels (issue 15): 2 to 8 ordered steps, each reached like a goal (a page path or glob, or an event with
-- optionally one property's value), kept as the JSON array the API shows ([{"label", "type", "path"} or
-- {"label", "type", "event", "property"?}]): the steps are always read and written with their funnel.
-- step_window is 'session' (every step in one session) or '24h' (every step within 24 hours of the first).
CREATE SEQUENCE funnel_ids START 1;
CREATE TABLE funnels (
    id          INTEGER PRIMARY KEY DEFAULT nextval('funnel_ids'),
    site_id     INTEGER NOT NULL,
    name        VARCHAR NOT NULL,
    step_window VARCHAR NOT NULL,
    steps       VARCHAR NOT NULL,
    created_by  INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (site_id, name)
);
