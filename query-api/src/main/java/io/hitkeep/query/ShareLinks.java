package io.hitkeep.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.StoreOperation;
import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.Scope;
import io.hitkeep.writer.Database;
import io.hitkeep.auth.Access;
import io.hitkeep.core.Json;
import io.hitkeep.core.Role;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Public, read-only links to one site's dashboard. Admins and owners of the site's team create, list and
 * revoke them; anyone holding a link's token reads that site's stats and nothing else. The token is stored
 * as SHA-256 only and the optional password as the argon2id hash auth computed. Thread-safe.
 */
final class ShareLinks {
    public static final StoreOperation<NewLink, JsonNode> CREATE = StoreOperation.of("share-links.create", NewLink.class, JsonNode.class);
    public static final StoreOperation<Sites.SiteRef, JsonNode> LIST =
            StoreOperation.of("share-links.list", Sites.SiteRef.class, JsonNode.class);
    public static final StoreOperation<LinkRef, JsonNode> REVOKE = StoreOperation.of("share-links.revoke", LinkRef.class, JsonNode.class);
    public static final StoreOperation<Token, JsonNode> FIND = StoreOperation.of("share-links.find", Token.class, JsonNode.class);

    /** The token (made and hashed by the HTTP face) and the optional password's hash (empty: none). */
    public record NewLink(Scope scope, int siteId, String label, String tokenHash, String passwordHash) {
    }

    public record LinkRef(Scope scope, int siteId, int linkId) {
    }

    public record Token(String tokenHash) {
    }

    private final Database database;
    private final Sites sites;

    ShareLinks(Database database, Sites sites) {
        this.database = database;
        this.sites = sites;
    }

    /** The new link, with its site's {@code domain} and {@code team_id} (for the caller's audit record). */
    ObjectNode create(Scope scope, int siteId, String label, String tokenHash, String passwordHash) {
        ObjectNode site = sites.get(scope, siteId, Access.Action.MANAGE_SHARE_LINKS);
        String name = label == null || label.isBlank() ? "Shared dashboard" : label.strip();
        if (name.length() > 100) {
            throw DomainError.invalid("label is longer than 100 characters");
        }
        return database.write("create share link", sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO share_links "
                    + "(site_id, label, token_hash, password_hash, created_by) VALUES (?, ?, ?, ?, ?) "
                    + "RETURNING id, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ')")) {
                insert.setInt(1, siteId);
                insert.setString(2, name);
                insert.setString(3, tokenHash);
                insert.setString(4, passwordHash.isEmpty() ? null : passwordHash);
                insert.setLong(5, scope.userId());
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    return Json.object().put("id", row.getInt(1)).put("site_id", siteId).put("label", name)
                            .put("has_password", !passwordHash.isEmpty()).put("created_at", row.getString(2))
                            .put("domain", site.get("domain").asText()).put("team_id", site.get("team_id").asInt());
                }
            }
        });
    }

    ObjectNode list(Scope scope, int siteId) {
        sites.get(scope, siteId, Access.Action.MANAGE_SHARE_LINKS);
        return database.read(sql -> {
            Connection connection = sql.connection();
            ArrayNode links = Json.MAPPER.createArrayNode();
            try (PreparedStatement select = connection.prepareStatement("SELECT id, label, password_hash IS NOT NULL, "
                    + "strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') FROM share_links WHERE site_id = ? ORDER BY id")) {
                select.setInt(1, siteId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        links.addObject().put("id", rows.getInt(1)).put("site_id", siteId).put("label", rows.getString(2))
                                .put("has_password", rows.getBoolean(3)).put("created_at", rows.getString(4));
                    }
                }
            }
            ObjectNode answer = Json.object();
            answer.set("share_links", links);
            return answer;
        });
    }

    /** Deletes the link; answers with its site's {@code domain} and {@code team_id} like {@link #create}. */
    ObjectNode revoke(Scope scope, int siteId, int linkId) {
        ObjectNode site = sites.get(scope, siteId, Access.Action.MANAGE_SHARE_LINKS);
        return database.write("revoke share link", sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM share_links WHERE id = ? AND site_id = ? RETURNING id")) {
                delete.setInt(1, linkId);
                delete.setInt(2, siteId);
                try (ResultSet row = delete.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("no such share link");
                    }
                }
            }
            return Json.object().put("id", linkId).put("revoked", true)
                    .put("domain", site.get("domain").asText()).put("team_id", site.get("team_id").asInt());
        });
    }

    /**
     * The link with that token hash and its site (name, domain, zone): what a visitor of the link may see,
     * plus the password hash for auth to check. Unknown or revoked: 404.
     */
    ObjectNode find(String tokenHash) {
        return database.read(sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement select = connection.prepareStatement("SELECT l.id, l.site_id, l.password_hash, "
                    + "s.name, s.domain, s.timezone FROM share_links l JOIN sites s ON s.id = l.site_id WHERE l.token_hash = ?")) {
                select.setString(1, tokenHash);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("this link is unknown or was revoked");
                    }
                    ObjectNode link = Json.object().put("id", row.getInt(1)).put("site_id", row.getInt(2))
                            .put("name", row.getString(4)).put("domain", row.getString(5)).put("timezone", row.getString(6));
                    String password = row.getString(3);
                    if (password != null) {
                        link.put("password_hash", password);
                    }
                    return link;
                }
            }
        });
    }
}
