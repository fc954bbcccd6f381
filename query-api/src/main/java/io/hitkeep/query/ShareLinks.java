package io.hitkeep.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hitkeep.auth.Access;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Scope;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.SqlFile;

import java.util.List;

/**
 * Public, read-only links to one site's dashboard. Admins and owners of the site's team create, list and
 * revoke them; anyone holding a link's token reads that site's stats and nothing else. The token is stored
 * as SHA-256 only and the optional password as the argon2id hash auth computed. Thread-safe.
 */
final class ShareLinks {
    public static final StoreOperation<NewLink, ShareLink> CREATE = StoreOperation.of("share-links.create", NewLink.class, ShareLink.class);
    public static final StoreOperation<Sites.SiteRef, LinkList> LIST =
            StoreOperation.of("share-links.list", Sites.SiteRef.class, LinkList.class);
    public static final StoreOperation<LinkRef, Revoked> REVOKE = StoreOperation.of("share-links.revoke", LinkRef.class, Revoked.class);
    public static final StoreOperation<Token, SharedSite> FIND = StoreOperation.of("share-links.find", Token.class, SharedSite.class);

    /** The token (made and hashed by the HTTP face) and the optional password's hash (empty: none). */
    public record NewLink(Scope scope, int siteId, String label, String tokenHash, String passwordHash) {}

    public record LinkRef(Scope scope, int siteId, int linkId) {}

    public record Token(String tokenHash) {}

    /**
     * A link as its site's admins see it (never its token). The answer to creating one adds its site's
     * {@code domain} and {@code team_id} (for the caller's audit record); a list leaves them out.
     */
    public record ShareLink(int id, int siteId, String label, boolean hasPassword, String createdAt,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String domain,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Integer teamId) {
    }

    public record LinkList(List<ShareLink> shareLinks) {
        public LinkList {
            shareLinks = shareLinks == null ? List.of() : List.copyOf(shareLinks);
        }
    }

    /** A revoked link, with its site's {@code domain} and {@code team_id} like {@link #CREATE}'s answer. */
    public record Revoked(int id, boolean revoked, String domain, int teamId) {
    }

    /**
     * The link of a token and its site (name, domain, zone): what a visitor of the link may see, plus the
     * password's hash for auth to check (left out: no password).
     */
    public record SharedSite(int id, int siteId, String name, String domain, String timezone,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String passwordHash) {
        boolean passwordRequired() {
            return passwordHash != null;
        }
    }

    /** The statements of {@code sql/share_links.sql}, each named there like its constant, in lower case with dashes. */
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
    ShareLink create(Scope scope, int siteId, String label, String tokenHash, String passwordHash) {
        Sites.Site site = sites.get(scope, siteId, Access.Action.MANAGE_SHARE_LINKS);
        String name = label == null || label.isBlank() ? "Shared dashboard" : label.strip();
        if (name.length() > 100) {
            throw DomainError.invalid("label is longer than 100 characters");
        }
        return database.write("create share link", sql -> sql.first(Query.INSERT_SHARE_LINK, row -> new ShareLink(row.getInt(1),
                        siteId, name, !passwordHash.isEmpty(), row.getString(2), site.domain(), site.teamId()),
                "site_id", siteId, "label", name, "token_hash", tokenHash, "password_hash", passwordHash.isEmpty() ? null : passwordHash,
                "user_id", scope.userId()).orElseThrow());
    }

    LinkList list(Scope scope, int siteId) {
        sites.get(scope, siteId, Access.Action.MANAGE_SHARE_LINKS);
        return new LinkList(database.read(sql -> sql.list(Query.SHARE_LINKS_OF_SITE, row -> new ShareLink(row.getInt(1), siteId,
                row.getString(2), row.getBoolean(3), row.getString(4), null, null), "site_id", siteId)));
    }

    /** Deletes the link; answers with its site's {@code domain} and {@code team_id} like {@link #create}. */
    Revoked revoke(Scope scope, int siteId, int linkId) {
        Sites.Site site = sites.get(scope, siteId, Access.Action.MANAGE_SHARE_LINKS);
        return database.write("revoke share link", sql -> {
            if (sql.first(Query.DELETE_SHARE_LINK, row -> row.getInt(1), "id", linkId, "site_id", siteId).isEmpty()) {
                throw DomainError.notFound("no such share link");
            }
            return new Revoked(linkId, true, site.domain(), site.teamId());
        });
    }

    /** The link with that token hash and its site. Unknown or revoked: 404. */
    SharedSite find(String tokenHash) {
        return database.read(sql -> sql.first(Query.SHARE_LINK_BY_TOKEN, row -> new SharedSite(row.getInt(1), row.getInt(2),
                row.getString(4), row.getString(5), row.getString(6), row.getString(3)), "token_hash", tokenHash).orElseThrow(() -> DomainError.notFound("this link is unknown or was revoked")));
    }
}
