-- Sites (Sites.java). A statement that answers sites names the columns Sites.site reads.

-- name: sites-of-user
SELECT s.*, m.role AS member_role
FROM (SELECT id, owner_id, team_id, domain, name, timezone, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at,
             excluded_ips, excluded_paths, honour_dnt, coalesce(umami_website_id, '') AS umami_website_id,
             coalesce(goatcounter_code, '') AS goatcounter_code, retention_days FROM sites) s
JOIN team_members m ON m.team_id = s.team_id AND m.user_id = :user_id ORDER BY s.id

-- name: site
SELECT id, owner_id, team_id, domain, name, timezone, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at,
       excluded_ips, excluded_paths, honour_dnt, coalesce(umami_website_id, '') AS umami_website_id,
       coalesce(goatcounter_code, '') AS goatcounter_code, retention_days
FROM sites WHERE id = :site_id

-- name: all-sites
SELECT id, owner_id, team_id, domain, name, timezone, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at,
       excluded_ips, excluded_paths, honour_dnt, coalesce(umami_website_id, '') AS umami_website_id,
       coalesce(goatcounter_code, '') AS goatcounter_code, retention_days
FROM sites

-- name: insert-site
INSERT INTO sites (owner_id, team_id, domain, name, timezone) VALUES (:user_id, :team_id, :domain, :name, :timezone)
RETURNING id, owner_id, team_id, domain, name, timezone, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at,
          excluded_ips, excluded_paths, honour_dnt, coalesce(umami_website_id, '') AS umami_website_id,
          coalesce(goatcounter_code, '') AS goatcounter_code, retention_days

-- name: update-site
-- An empty umami_website_id or goatcounter_code is none (NULL), so that any number of sites can have none.
UPDATE sites SET excluded_ips = :excluded_ips, excluded_paths = :excluded_paths, honour_dnt = :honour_dnt,
                 name = :name, timezone = :timezone, umami_website_id = nullif(:umami_website_id, ''),
                 goatcounter_code = nullif(:goatcounter_code, ''),
                 retention_days = :retention_days WHERE id = :site_id
RETURNING id, owner_id, team_id, domain, name, timezone, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at,
          excluded_ips, excluded_paths, honour_dnt, coalesce(umami_website_id, '') AS umami_website_id,
          coalesce(goatcounter_code, '') AS goatcounter_code, retention_days

-- Deleting a site deletes what was recorded for it first, the site row last.

-- name: delete-hits-of-site
DELETE FROM hits WHERE site_id = :site_id

-- name: delete-events-of-site
DELETE FROM events WHERE site_id = :site_id

-- name: delete-engagements-of-site
DELETE FROM engagements WHERE site_id = :site_id

-- name: delete-share-links-of-site
DELETE FROM share_links WHERE site_id = :site_id

-- name: delete-goals-of-site
DELETE FROM goals WHERE site_id = :site_id

-- name: delete-annotations-of-site
DELETE FROM annotations WHERE site_id = :site_id

-- name: delete-funnels-of-site
DELETE FROM funnels WHERE site_id = :site_id

-- name: delete-imported-days-of-site
DELETE FROM imported_days WHERE import_id IN (SELECT id FROM imports WHERE site_id = :site_id)

-- name: delete-imported-lists-of-site
DELETE FROM imported_lists WHERE import_id IN (SELECT id FROM imports WHERE site_id = :site_id)

-- name: delete-imported-pageviews-of-site
DELETE FROM imported_pageviews WHERE import_id IN (SELECT id FROM imports WHERE site_id = :site_id)

-- name: delete-imports-of-site
DELETE FROM imports WHERE site_id = :site_id

-- name: delete-site
DELETE FROM sites WHERE id = :site_id
