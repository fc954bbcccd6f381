-- Imports (issue 14): another tool's export (Plausible's CSV zip, GoatCounter's CSV) as per-day aggregates.
-- An export has no visitor ids, so imported data lives apart from hits and the stats add it per day.
-- An import is 'loading' while its rows arrive in chunks and 'done' once the last one is in: the stats read
-- only done imports, and a loading one that stops being touched is deleted with its rows.
CREATE SEQUENCE import_ids START 1;
CREATE TABLE imports (
    id         INTEGER PRIMARY KEY DEFAULT nextval('import_ids'),
    site_id    INTEGER NOT NULL,
    source     VARCHAR NOT NULL,          -- plausible, goatcounter
    file_name  VARCHAR NOT NULL DEFAULT '',
    status     VARCHAR NOT NULL,          -- loading, done
    from_day   DATE,                      -- the first and last day with data, set when done
    to_day     DATE,
    pageviews  BIGINT NOT NULL DEFAULT 0,
    created_by INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    touched_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- One row per import and day of the site's totals; visitors are the day's unique visitors as the other
-- tool counted them, so a range's visitors are a sum of days. visit_duration is the day's total, in seconds.
CREATE TABLE imported_days (
    import_id      INTEGER NOT NULL,
    day            DATE NOT NULL,
    visitors       BIGINT NOT NULL,
    pageviews      BIGINT NOT NULL,
    visits         BIGINT NOT NULL,
    bounces        BIGINT NOT NULL,
    visit_duration BIGINT NOT NULL
);

-- One row per import, day, top list (the stats answer's name: pages, sources, countries, events...) and
-- value. A value may have several rows a day (an export's row per browser and version counts for the
-- browser too); the stats sum them. For events, pageviews holds the event count.
CREATE TABLE imported_lists (
    import_id INTEGER NOT NULL,
    day       DATE NOT NULL,
    list      VARCHAR NOT NULL,
    value     VARCHAR NOT NULL,
    visitors  BIGINT NOT NULL,
    pageviews BIGINT NOT NULL
);

-- GoatCounter exports single pageviews: they wait here while the import loads and are summed into the two
-- tables above (in the site's time zone) when it is done, then deleted.
CREATE TABLE imported_pageviews (
    import_id       INTEGER NOT NULL,
    timestamp       TIMESTAMP NOT NULL,   -- UTC
    session         VARCHAR NOT NULL,
    path            VARCHAR NOT NULL,
    is_event        BOOLEAN NOT NULL,
    referrer_host   VARCHAR NOT NULL,
    source          VARCHAR NOT NULL,
    utm_source      VARCHAR NOT NULL,
    country         VARCHAR NOT NULL,
    browser         VARCHAR NOT NULL,
    browser_version VARCHAR NOT NULL,
    os              VARCHAR NOT NULL,
    os_version      VARCHAR NOT NULL,
    device          VARCHAR NOT NULL
);
