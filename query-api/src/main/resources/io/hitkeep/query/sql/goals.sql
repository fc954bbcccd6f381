-- Goals (Goals.java) and their conversions. A pageview goal's glob is stored as written and matched with
-- LIKE (Goals turns * into % and escapes the rest); an event goal's property is compared as the
-- event_props list shows values: strings without their quotes, numbers and booleans as JSON text.

-- name: insert-goal
INSERT INTO goals (site_id, name, type, path, event, property_key, property_value, created_by)
VALUES (:site_id, :name, :type, :path, :event, :property_key, :property_value, :user_id)
RETURNING id

-- name: goals-of-site
SELECT id, name, type, path, event, property_key, property_value FROM goals WHERE site_id = :site_id ORDER BY id

-- name: goal-by-name
SELECT id, name, type, path, event, property_key, property_value FROM goals WHERE site_id = :site_id AND name = :name

-- name: delete-goal
DELETE FROM goals WHERE id = :id AND site_id = :site_id RETURNING id, name
