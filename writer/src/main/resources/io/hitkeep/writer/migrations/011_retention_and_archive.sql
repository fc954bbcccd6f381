-- Retention (reports module, io.hitkeep.reports.archive): a site keeps its rows for retention_days (NULL:
-- forever); whole months older than that are written to data/archive/site=<id>/month=<yyyy-mm>.parquet and
-- then deleted from the tables.
ALTER TABLE sites ADD COLUMN retention_days INTEGER;

-- One row per archived month of a site, written in the same transaction that deletes the month's rows, so
-- the stats read a month either from the tables or from its file, never from both. rows: what the file
-- holds (hits, events and engagements together). pending_file: a complete, verified file that is still to
-- be moved to `file` (a merge of late rows); while it is set and exists, it is the one to read.
CREATE TABLE archived_months (
    site_id      INTEGER NOT NULL,
    month        VARCHAR NOT NULL,     -- yyyy-mm, UTC
    file         VARCHAR NOT NULL,     -- relative to the data directory
    pending_file VARCHAR,
    rows         BIGINT NOT NULL,
    archived_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (site_id, month)
);
