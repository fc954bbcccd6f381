-- Enrichment the gateway derived but did not keep: the browser's major version, the OS version and the
-- referrer's medium. Added last, so the writer appends them after the columns of 001 (HitWriter.append).
ALTER TABLE hits ADD COLUMN browser_version VARCHAR DEFAULT '';
ALTER TABLE hits ADD COLUMN os_version VARCHAR DEFAULT '';
ALTER TABLE hits ADD COLUMN medium VARCHAR DEFAULT '';
ALTER TABLE events ADD COLUMN browser_version VARCHAR DEFAULT '';
ALTER TABLE events ADD COLUMN os_version VARCHAR DEFAULT '';
ALTER TABLE events ADD COLUMN medium VARCHAR DEFAULT '';

-- Per-site privacy: addresses (CIDRs) and page paths (globs such as /admin/*) whose hits are not counted,
-- both comma separated, and whether the visitor's Do Not Track / Global Privacy Control is honoured.
ALTER TABLE sites ADD COLUMN excluded_ips VARCHAR DEFAULT '';
ALTER TABLE sites ADD COLUMN excluded_paths VARCHAR DEFAULT '';
ALTER TABLE sites ADD COLUMN honour_dnt BOOLEAN DEFAULT true;
