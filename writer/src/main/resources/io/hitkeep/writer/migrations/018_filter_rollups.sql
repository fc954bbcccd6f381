-- Rollups of a filter (issue 13): a filtered request (filter=country:DE) has no rollup in the site's tables,
-- which keep no combination of dimensions. The first such request registers its filter; the roller then rolls
-- the site's closed days again with only the hits that match it (query-api FilterRollups), into tables shaped
-- like the site's, so later requests read a few thousand rows instead of scanning every hit of the range.
-- A filter no one asked for in a week is forgotten, and a site keeps at most its 20 most recently asked.

-- One row per filter of a site: its predicate over hits, as FilterRollups composes it (its key).
CREATE TABLE rollup_filters (
    filter_id INTEGER NOT NULL,
    site_id   INTEGER NOT NULL,
    predicate VARCHAR NOT NULL,
    last_used TIMESTAMP NOT NULL              -- UTC, when a request last asked for it
);

-- Per local day the filter holds (one row for each, a day without matching hits too): as rollup_days.
CREATE TABLE rollup_filter_days (
    filter_id       INTEGER NOT NULL,
    day             DATE NOT NULL,
    pageviews       BIGINT NOT NULL,
    visitors        BIGINT NOT NULL,
    shared_visitors BIGINT NOT NULL
);

-- As rollup_sessions, of the sessions' matching hits.
CREATE TABLE rollup_filter_sessions (
    filter_id          INTEGER NOT NULL,
    day                DATE NOT NULL,
    prev_pageview_day  DATE,
    next_pageview_day  DATE,
    next_active_day    DATE,
    last_pageview_day  DATE,
    starts             BIGINT NOT NULL,
    singles            BIGINT NOT NULL,
    first_pageview_us  HUGEINT NOT NULL,
    last_active_us     HUGEINT NOT NULL
);

-- As rollup_values, of the matching hits.
CREATE TABLE rollup_filter_values (
    filter_id       INTEGER NOT NULL,
    day             DATE NOT NULL,
    dimension       VARCHAR NOT NULL,
    value           VARCHAR NOT NULL,
    link_day        DATE,
    pageviews       BIGINT NOT NULL,
    visitors        BIGINT,
    shared_visitors BIGINT
);
