-- Entry and exit pages' visitors exact too (issue 13). Their rollup_values rows now carry visitors and
-- shared_visitors like the other lists', one row per day, page and link (see rollups.sql, session-page-rows),
-- so no sketch is left: the sketch tables go. Every site is rolled again in this form by the catch-up at start.
DROP TABLE rollup_day_sketches;
DROP TABLE rollup_period_sketches;
DELETE FROM rollup_days;
DELETE FROM rollup_sessions;
DELETE FROM rollup_values;
DELETE FROM rollup_sites;
