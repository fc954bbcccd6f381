-- Rollups (issue 13): per site and local day (in the site's time zone), what the dashboard's cards, chart and
-- top lists need, so a long range reads a few thousand rows instead of millions of hits. The roller
-- (query-api Rollups) computes a day from its raw hits and replaces the day's rows; what it reads and what
-- it writes are one transaction, so a day's rollup is always a function of its hits: nothing counted twice.

-- Hours that got hits since they were last rolled: appended by the writer in the same transaction as the
-- hits (HitWriter), deleted by the roller in the transaction that rolls them. Only ever appended and
-- deleted, so the writer and the roller never update the same row.
CREATE TABLE rollup_pending (
    site_id INTEGER NOT NULL,
    hour    TIMESTAMP NOT NULL                -- UTC, truncated to the hour
);

-- The time zone a site's rollups were computed in: a site whose zone changed is rolled again.
CREATE TABLE rollup_sites (
    site_id  INTEGER NOT NULL,
    timezone VARCHAR NOT NULL
);

-- Per local day: pageviews and exact visitors (the chart).
CREATE TABLE rollup_days (
    site_id   INTEGER NOT NULL,
    day       DATE NOT NULL,
    pageviews BIGINT NOT NULL,
    visitors  BIGINT NOT NULL
);

-- Sessions, cut into one piece per local day they were active on, grouped by how each piece links to the
-- session's other days: a range counts a session once, at its first day in range with a pageview
-- (prev_pageview_day before the range), and ends it at its last active day in range. Sums of epoch
-- microseconds give the durations exactly.
CREATE TABLE rollup_sessions (
    site_id            INTEGER NOT NULL,
    day                DATE NOT NULL,
    prev_pageview_day  DATE,                  -- the session's last earlier day with a pageview
    next_pageview_day  DATE,                  -- its next later day with a pageview
    next_active_day    DATE,                  -- its next later day with a pageview or an engagement ping
    last_pageview_day  DATE,                  -- this day if it had a pageview, else prev_pageview_day
    starts             BIGINT NOT NULL,       -- pieces with a pageview
    singles            BIGINT NOT NULL,       -- pieces with exactly one pageview
    first_pageview_us  HUGEINT NOT NULL,      -- sum of each piece's first pageview time
    last_active_us     HUGEINT NOT NULL       -- sum of each piece's last pageview or ping time
);

-- Per local day and top-list value: pageviews (for entry and exit pages: sessions that entered or left
-- there, with link_day the session's previous or next day with a pageview, as above).
CREATE TABLE rollup_values (
    site_id   INTEGER NOT NULL,
    day       DATE NOT NULL,
    dimension VARCHAR NOT NULL,               -- a top list's name (pages, countries...)
    value     VARCHAR NOT NULL,
    link_day  DATE,
    pageviews BIGINT NOT NULL
);

-- Mergeable HLL sketches of the visitors per local day ('total' dimension: the whole site), and per local
-- week (from Monday) and month, the union of their days': a range's visitors are the union of its whole
-- months, then whole weeks, then remaining days. Entry and exit pages have one per day and link_day (as in
-- rollup_values); weeks and months keep only those of sessions without a link, since which linked sessions
-- enter or leave a range depends on where it starts and ends.
CREATE TABLE rollup_day_sketches (
    site_id   INTEGER NOT NULL,
    day       DATE NOT NULL,
    dimension VARCHAR NOT NULL,
    value     VARCHAR NOT NULL,
    link_day  DATE,
    sketch    BLOB NOT NULL
);
CREATE TABLE rollup_period_sketches (
    site_id   INTEGER NOT NULL,
    period    VARCHAR NOT NULL,               -- week or month
    first_day DATE NOT NULL,                  -- its first local day: a Monday, or the 1st
    dimension VARCHAR NOT NULL,
    value     VARCHAR NOT NULL,
    sketch    BLOB NOT NULL
);
