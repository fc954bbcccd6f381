package io.hitkeep.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.auth.AuditTrail;
import io.hitkeep.auth.Caller;
import io.hitkeep.auth.PasswordHasher;
import io.hitkeep.auth.PublicUrl;
import io.hitkeep.auth.RandomTokens;
import io.hitkeep.auth.SessionTokens;
import io.hitkeep.auth.SignInGuard;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Hashes;
import io.hitkeep.web.HttpJson;
import io.hitkeep.core.Json;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;

import java.time.Clock;
import java.util.List;

/**
 * Public share links of a site's dashboard, mounted at {@code /api}. Admins and owners manage them under
 * {@code /api/sites/{id}/share-links}; the link's token is answered once, at creation. Anyone holding a
 * link reads {@code /api/share/{token}} (the site's name and whether a password is needed) and
 * {@code /api/share/{token}/stats} (the same JSON as a site's stats). A link with a password first needs
 * {@code POST /api/share/{token}/unlock}, which answers an access token to send as {@code X-Share-Access};
 * unlocking is rate limited per address and locked out per link after failures. Thread-safe.
 */
public final class ShareRoutes implements HttpService {
    private static final int BODY_LIMIT = 16 * 1024;
    private static final String ACCESS_HEADER = "X-Share-Access";

    private final StoreClient store;
    private final SessionTokens tokens;
    private final SignInGuard guard;
    private final AuditTrail auditTrail;
    private final PasswordHasher passwords = new PasswordHasher();
    private final PublicUrl publicUrl;

    public ShareRoutes(Settings settings, StoreClient store) {
        this.store = store;
        this.tokens = new SessionTokens(settings);
        this.guard = new SignInGuard(settings, Clock.systemUTC());
        this.auditTrail = new AuditTrail(store, guard);
        this.publicUrl = new PublicUrl(settings);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/sites/{id}/share-links", this::list)
                .post("/sites/{id}/share-links", this::create)
                .delete("/sites/{id}/share-links/{link}", this::revoke)
                .get("/share/{token}", this::site)
                .post("/share/{token}/unlock", this::unlock)
                .get("/share/{token}/stats", this::stats);
    }

    private void list(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(ShareLinks.LIST, new Sites.SiteRef(Caller.of(request).scope(),
                HttpJson.pathId(request, "id", "no such site"))).get("share_links"));
    }

    /** {@code {"label"?, "password"?}}: answers the link with its token, shown only now. */
    private void create(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.of(request);
        int siteId = HttpJson.pathId(request, "id", "no such site");
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        String password = Json.text(body, "password");
        if (!password.isEmpty() && (password.length() < 8 || password.length() > 1024)) {
            throw DomainError.invalid("a share link's password must be 8 to 1024 characters long");
        }
        String token = RandomTokens.next();
        ObjectNode link = (ObjectNode) store.call(ShareLinks.CREATE, new ShareLinks.NewLink(caller.scope(), siteId,
                Json.text(body, "label"), Hashes.sha256Hex(token), password.isEmpty() ? "" : passwords.hash(password)));
        auditTrail.record(request, caller.userId(), link.path("team_id").asInt(), "share_link_created",
                link.path("domain").asText() + ": " + link.get("label").asText());
        link.put("token", token).put("link", publicUrl.base(request) + "/share/" + token);
        HttpJson.send(response, 201, link);
    }

    private void revoke(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.of(request);
        int siteId = HttpJson.pathId(request, "id", "no such site");
        JsonNode revoked = store.call(ShareLinks.REVOKE, new ShareLinks.LinkRef(caller.scope(), siteId,
                HttpJson.pathId(request, "link", "no such share link")));
        auditTrail.record(request, caller.userId(), revoked.path("team_id").asInt(), "share_link_revoked",
                revoked.path("domain").asText() + ": link " + revoked.get("id").asInt());
        HttpJson.send(response, 200, revoked);
    }

    /** What the shared page shows before any stats: the site's name and zone, and whether to ask for a password. */
    private void site(ServerRequest request, ServerResponse response) {
        JsonNode link = link(request);
        HttpJson.send(response, 200, Json.object().put("name", link.get("name").asText())
                .put("domain", link.get("domain").asText()).put("timezone", link.get("timezone").asText())
                .put("password_required", link.has("password_hash")));
    }

    private void unlock(ServerRequest request, ServerResponse response) {
        if (guard.limited(request, response)) {
            return;
        }
        JsonNode link = link(request);
        String account = "share:" + link.get("id").asInt();
        if (guard.locked(request, account, response)) {
            return;
        }
        String password = Json.text(HttpJson.object(request, BODY_LIMIT), "password");
        if (!link.has("password_hash")) {
            HttpJson.send(response, 200, Json.object().put("access", tokens.issueShareAccess(link.get("id").asLong())));
            return;
        }
        if (!passwords.verify(password, link.get("password_hash").asText())) {
            guard.failed(request, account);
            throw DomainError.unauthorized("wrong password");
        }
        guard.succeeded(request, account);
        HttpJson.send(response, 200, Json.object().put("access", tokens.issueShareAccess(link.get("id").asLong())));
    }

    private void stats(ServerRequest request, ServerResponse response) {
        String tokenHash = tokenHash(request);
        JsonNode link = store.call(ShareLinks.FIND, new ShareLinks.Token(tokenHash));
        if (link.has("password_hash")) {
            long granted = request.headers().first(HeaderNames.create(ACCESS_HEADER))
                    .flatMap(tokens::shareAccess).orElse(-1L);
            if (granted != link.get("id").asLong()) {
                throw DomainError.unauthorized("this link needs its password");
            }
        }
        var query = request.query();
        StatsRequest stats = StatsRequest.parse(link.get("site_id").asInt(), query.first("from").asOptional(),
                query.first("to").asOptional(), query.all("filter", List::of), query.first("limit").asOptional(),
                query.all("parts", List::of)).withBreakdown(query.first("breakdown").asOptional())
                .withImported(query.first("imported").asOptional());
        HttpJson.send(response, 200, store.call(Stats.SHARED, new Stats.SharedQuery(tokenHash, stats)));
    }

    private JsonNode link(ServerRequest request) {
        return store.call(ShareLinks.FIND, new ShareLinks.Token(tokenHash(request)));
    }

    private static String tokenHash(ServerRequest request) {
        String token = request.path().pathParameters().get("token");
        if (token.length() > 100) {
            throw DomainError.notFound("this link is unknown or was revoked");
        }
        return Hashes.sha256Hex(token);
    }

}
