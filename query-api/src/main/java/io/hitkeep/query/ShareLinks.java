package io.hitkeep.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.StoreOperation;
import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.Scope;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.SqlFile;
import io.hitkeep.auth.Access;
import io.hitkeep.core.Json;
import io.hitkeep.core.Role;


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
    public record NewLink(Scope scope, int siteId, String label, String tokenHash, String passwordHash) {}

    public record LinkRef(Scope scope, int siteId, int linkId) {}

    public record Token(String tokenHash) {}

    /** The statements of {@code sql/share_links.sql}, each named there like its constant ({@code Query.INSERT_SHARE_LINK}: {@code insert-share-link}). */
    private enum Query implements SqlFile.Named {
        INSERT_SHARE_LINK, SHARE_LINKS_OF_SITE, DELETE_SHARE_LINK, SHARE_LINK_BY_TOKEN;

        @Override
        public String file() {
            return "sql/share_links.sql";
        }
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
        return database.write("create share link", sql -> sql.first(Query.INSERT_SHARE_LINK, row -> Json.object()
                        .put("id", row.getInt(1)).put("site_id", siteId).put("label", name)
                        .put("has_password", !passwordHash.isEmpty()).put("created_at", row.getString(2))
                        .put("domain", site.get("domain").asText()).put("team_id", site.get("team_id").asInt()),
                "site_id", siteId, "label", name, "token_hash", tokenHash, "password_hash", passwordHash.isEmpty() ? null : passwordHash,
                "user_id", scope.userId()).orElseThrow());
    }

    ObjectNode list(Scope scope, int siteId) {
        sites.get(scope, siteId, Access.Action.MANAGE_SHARE_LINKS);
        return database.read(sql -> {
            ObjectNode answer = Json.object();
            answer.putArray("share_links").addAll(sql.list(Query.SHARE_LINKS_OF_SITE, row -> Json.object().put("id", row.getInt(1))
                    .put("site_id", siteId).put("label", row.getString(2)).put("has_password", row.getBoolean(3))
                    .put("created_at", row.getString(4)), "site_id", siteId));
            return answer;
        });
    }

    /** Deletes the link; answers with its site's {@code domain} and {@code team_id} like {@link #create}. */
    ObjectNode revoke(Scope scope, int siteId, int linkId) {
        ObjectNode site = sites.get(scope, siteId, Access.Action.MANAGE_SHARE_LINKS);
        return database.write("revoke share link", sql -> {
            if (sql.first(Query.DELETE_SHARE_LINK, row -> row.getInt(1), "id", linkId, "site_id", siteId).isEmpty()) {
                throw DomainError.notFound("no such share link");
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
        return database.read(sql -> sql.first(Query.SHARE_LINK_BY_TOKEN, row -> {
            ObjectNode link = Json.object().put("id", row.getInt(1)).put("site_id", row.getInt(2))
                    .put("name", row.getString(4)).put("domain", row.getString(5)).put("timezone", row.getString(6));
            String password = row.getString(3);
            if (password != null) {
                link.put("password_hash", password);
            }
            return link;
        }, "token_hash", tokenHash).orElseThrow(() -> DomainError.notFound("this link is unknown or was revoked")));
    }
}
