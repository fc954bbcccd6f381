package io.hitkeep.writer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.ApiError;
import io.hitkeep.core.Buckets;
import io.hitkeep.core.ClientAddress;
import io.hitkeep.core.Domains;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Json;
import io.hitkeep.core.PathGlobs;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Sites: stored in DuckDB (the source of truth) and mirrored into the {@code hk_sites} key-value bucket,
 * keyed by domain, which every gateway watches to map a hit's host to its site. Thread-safe.
 */
final class Sites {
    private static final String COLUMNS = "id, owner_id, domain, name, timezone, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at,"
            + " excluded_ips, excluded_paths, honour_dnt";

    private final Database database;
    private final java.sql.Connection writes;
    private final KeyValue registry;

    Sites(Database database, java.sql.Connection writes, Connection nats) {
        this.database = database;
        this.writes = writes;
        this.registry = Buckets.sites(nats);
    }

    ArrayNode list(long userId) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM sites WHERE owner_id = ? ORDER BY id")) {
                statement.setLong(1, userId);
                ArrayNode sites = Json.MAPPER.createArrayNode();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        sites.add(site(rows));
                    }
                }
                return sites;
            }
        });
    }

    /** The user's site, or a 404 that does not tell whether someone else has it. */
    ObjectNode get(long userId, int siteId) {
        return find(siteId).filter(site -> site.get("owner_id").asLong() == userId)
                .orElseThrow(() -> ApiError.notFound("no such site"));
    }

    Optional<ObjectNode> find(int siteId) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM sites WHERE id = ?")) {
                statement.setInt(1, siteId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(site(rows)) : Optional.empty();
                }
            }
        });
    }

    ObjectNode create(long userId, String typedDomain, String name, String timezone) {
        String domain = Domains.parse(typedDomain)
                .orElseThrow(() -> ApiError.badRequest("domain must be a host name such as example.com"));
        String zone = timezone.isBlank() ? "UTC" : timezone.strip();
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw ApiError.badRequest("timezone must be an IANA zone such as Europe/Berlin");
        }
        String label = name.isBlank() ? domain : name.strip();
        if (label.length() > 200) {
            throw ApiError.badRequest("name is longer than 200 characters");
        }
        ObjectNode site;
        synchronized (writes) {
            try (PreparedStatement insert = writes.prepareStatement(
                    "INSERT INTO sites (owner_id, domain, name, timezone) VALUES (?, ?, ?, ?) RETURNING " + COLUMNS)) {
                insert.setLong(1, userId);
                insert.setString(2, domain);
                insert.setString(3, label);
                insert.setString(4, zone);
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    site = site(rows);
                }
            } catch (SQLException e) {
                if (e.getMessage().contains("onstraint")) {
                    throw new ApiError(409, "a site for " + domain + " exists already");
                }
                throw new HitKeepException("cannot add site: " + e.getMessage(), e);
            }
        }
        publish(site);
        return site;
    }

    /**
     * Changes a site's privacy settings: {@code excluded_ips} (CIDRs), {@code excluded_paths} (globs) and
     * {@code honour_dnt}; a field left out keeps its value. Another user's site is a 404.
     */
    ObjectNode update(long userId, int siteId, JsonNode changes) {
        ObjectNode current = get(userId, siteId);
        String excludedIps = current.get("excluded_ips").asText();
        String excludedPaths = current.get("excluded_paths").asText();
        boolean honourDnt = current.get("honour_dnt").asBoolean();
        try {
            if (changes.hasNonNull("excluded_ips")) {
                excludedIps = ClientAddress.Ranges.parse("excluded_ips", changes.get("excluded_ips").asText()).toString();
            }
            if (changes.hasNonNull("excluded_paths")) {
                excludedPaths = PathGlobs.parse("excluded_paths", changes.get("excluded_paths").asText()).toString();
            }
        } catch (HitKeepException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        if (changes.hasNonNull("honour_dnt")) {
            honourDnt = changes.get("honour_dnt").asBoolean();
        }
        ObjectNode site;
        synchronized (writes) {
            try (PreparedStatement update = writes.prepareStatement(
                    "UPDATE sites SET excluded_ips = ?, excluded_paths = ?, honour_dnt = ? WHERE id = ? RETURNING " + COLUMNS)) {
                update.setString(1, excludedIps);
                update.setString(2, excludedPaths);
                update.setBoolean(3, honourDnt);
                update.setInt(4, siteId);
                try (ResultSet rows = update.executeQuery()) {
                    rows.next();
                    site = site(rows);
                }
            } catch (SQLException e) {
                throw new HitKeepException("cannot update site: " + e.getMessage(), e);
            }
        }
        publish(site);
        return site;
    }

    /** Puts every site into the registry bucket, so gateways started before the writer see them. */
    void publishAll() {
        database.read(connection -> {
            try (var statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT " + COLUMNS + " FROM sites")) {
                while (rows.next()) {
                    publish(site(rows));
                }
            }
            return null;
        });
    }

    private void publish(ObjectNode site) {
        try {
            registry.put(site.get("domain").asText(), Json.bytes(site));
        } catch (IOException | JetStreamApiException e) {
            throw new HitKeepException("cannot publish site to the registry: " + e.getMessage(), e);
        }
    }

    private static ObjectNode site(ResultSet row) throws SQLException {
        ObjectNode site = Json.object();
        site.put("id", row.getInt("id"));
        site.put("owner_id", row.getLong("owner_id"));
        site.put("domain", row.getString("domain"));
        site.put("name", row.getString("name"));
        site.put("timezone", row.getString("timezone"));
        site.put("created_at", row.getString("created_at"));
        site.put("excluded_ips", row.getString("excluded_ips"));
        site.put("excluded_paths", row.getString("excluded_paths"));
        site.put("honour_dnt", row.getBoolean("honour_dnt"));
        return site;
    }
}
