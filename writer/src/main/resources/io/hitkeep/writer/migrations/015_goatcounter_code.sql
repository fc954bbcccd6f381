-- GoatCounter compatibility (issue 14): a site may have the code GoatCounter names a site by, so a snippet that
-- sends to CODE.stats.example.com counts for it, Referer or not. Lower-case letters, digits and dashes, or NULL;
-- no two sites share one.
ALTER TABLE sites ADD COLUMN goatcounter_code VARCHAR;
CREATE UNIQUE INDEX sites_goatcounter_code ON sites (goatcounter_code);
