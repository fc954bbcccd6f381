-- Exact visitors from the rollups (issue 13). Visitor ids are hashed with a salt of the UTC day, so an id is
-- seen on at most two local days, and those are next to each other: a range's visitors are the sum of its
-- days' visitors less, for each day after its first, the visitors it shares with the day before. The rollups
-- keep both per day (and per top-list value), and the sketches only for entry and exit pages, whose sets
-- depend on where a range starts and ends. Every site is rolled again in this form by the catch-up at start.
ALTER TABLE rollup_days ADD COLUMN shared_visitors BIGINT DEFAULT 0;   -- of visitors, those also seen the day before
ALTER TABLE rollup_values ADD COLUMN visitors BIGINT;                  -- NULL for entry and exit pages
ALTER TABLE rollup_values ADD COLUMN shared_visitors BIGINT;
DELETE FROM rollup_days;
DELETE FROM rollup_sessions;
DELETE FROM rollup_values;
DELETE FROM rollup_sites;
DELETE FROM rollup_day_sketches;
DELETE FROM rollup_period_sketches;
