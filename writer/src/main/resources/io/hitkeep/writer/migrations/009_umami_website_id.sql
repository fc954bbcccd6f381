-- Umami compatibility (issue 14): a site may name the Umami website whose hits are its own, so an Umami
-- snippet keeps working when pointed at HitKeep. A lower-case UUID or NULL; no two sites share one.
ALTER TABLE sites ADD COLUMN umami_website_id VARCHAR;
CREATE UNIQUE INDEX sites_umami_website_id ON sites (umami_website_id);
