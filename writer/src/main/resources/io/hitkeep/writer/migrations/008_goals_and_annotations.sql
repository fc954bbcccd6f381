-- Goals (issue 15): a pageview goal matches page paths by a glob (/docs/*), an event goal an event name and
-- optionally one property's value. Names are unique per site, so filter=goal:<name> names one.
CREATE SEQUENCE goal_ids START 1;
CREATE TABLE goals (
    id             INTEGER PRIMARY KEY DEFAULT nextval('goal_ids'),
    site_id        INTEGER NOT NULL,
    name           VARCHAR NOT NULL,
    type           VARCHAR NOT NULL,
    path           VARCHAR NOT NULL DEFAULT '',
    event          VARCHAR NOT NULL DEFAULT '',
    property_key   VARCHAR NOT NULL DEFAULT '',
    property_value VARCHAR NOT NULL DEFAULT '',
    created_by     INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (site_id, name)
);

-- Annotations: a note on one day of a site's chart (a release, a campaign), in the site's time zone.
CREATE SEQUENCE annotation_ids START 1;
CREATE TABLE annotations (
    id         INTEGER PRIMARY KEY DEFAULT nextval('annotation_ids'),
    site_id    INTEGER NOT NULL,
    day        DATE NOT NULL,
    text       VARCHAR NOT NULL,
    created_by INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
