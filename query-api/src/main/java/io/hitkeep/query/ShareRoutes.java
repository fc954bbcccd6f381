package io.hitkeep.query;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
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
                HttpJson.pathId(request, "id", "no such site"))).shareLinks());
    }

    /** A new link as its creator gets it: the link, its {@code token} and its address, shown only now. */
    record IssuedLink(@JsonUnwrapped ShareLinks.ShareLink shareLink, String token, String link) {
    }

    /** What the shared page shows before any stats: the site's name and zone, and whether to ask for a password. */
    record SharedPage(String name, String domain, String timezone, boolean passwordRequired) {
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
        ShareLinks.ShareLink link = store.call(ShareLinks.CREATE, new ShareLinks.NewLink(caller.scope(), siteId,
                Json.text(body, "label"), Hashes.sha256Hex(token), password.isEmpty() ? "" : passwords.hash(password)));
        auditTrail.record(request, caller.userId(), link.teamId(), "share_link_created", link.domain() + ": " + link.label());
        HttpJson.send(response, 201, new IssuedLink(link, token, publicUrl.base(request) + "/share/" + token));
    }

    private void revoke(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.of(request);
        int siteId = HttpJson.pathId(request, "id", "no such site");
        ShareLinks.Revoked revoked = store.call(ShareLinks.REVOKE, new ShareLinks.LinkRef(caller.scope(), siteId,
                HttpJson.pathId(request, "link", "no such share link")));
        auditTrail.record(request, caller.userId(), revoked.teamId(), "share_link_revoked", revoked.domain() + ": link " + revoked.id());
        HttpJson.send(response, 200, revoked);
    }

    private void site(ServerRequest request, ServerResponse response) {
        ShareLinks.SharedSite link = link(request);
        HttpJson.send(response, 200, new SharedPage(link.name(), link.domain(), link.timezone(), link.passwordRequired()));
    }

    private void unlock(ServerRequest request, ServerResponse response) {
        if (guard.limited(request, response)) {
            return;
        }
        ShareLinks.SharedSite link = link(request);
        String account = "share:" + link.id();
        if (guard.locked(request, account, response)) {
            return;
        }
        String password = Json.text(HttpJson.object(request, BODY_LIMIT), "password");
        if (!link.passwordRequired()) {
            HttpJson.send(response, 200, Json.object().put("access", tokens.issueShareAccess(link.id())));
            return;
        }
        if (!passwords.verify(password, link.passwordHash())) {
            guard.failed(request, account);
            throw DomainError.unauthorized("wrong password");
        }
        guard.succeeded(request, account);
        HttpJson.send(response, 200, Json.object().put("access", tokens.issueShareAccess(link.id())));
    }

    private void stats(ServerRequest request, ServerResponse response) {
        String tokenHash = tokenHash(request);
        ShareLinks.SharedSite link = store.call(ShareLinks.FIND, new ShareLinks.Token(tokenHash));
        if (link.passwordRequired()) {
            long granted = request.headers().first(HeaderNames.create(ACCESS_HEADER))
                    .flatMap(tokens::shareAccess).orElse(-1L);
            if (granted != link.id()) {
                throw DomainError.unauthorized("this link needs its password");
            }
        }
        var query = request.query();
        StatsRequest stats = StatsRequest.parse(link.siteId(), query.first("from").asOptional(),
                query.first("to").asOptional(), query.all("filter", List::of), query.first("limit").asOptional(),
                query.all("parts", List::of)).withBreakdown(query.first("breakdown").asOptional())
                .withImported(query.first("imported").asOptional());
        HttpJson.send(response, 200, store.call(Stats.SHARED, new Stats.SharedQuery(tokenHash, stats)));
    }

    private ShareLinks.SharedSite link(ServerRequest request) {
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
