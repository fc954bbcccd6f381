package io.hitkeep.auth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.Principal;
import io.helidon.security.Security;
import io.helidon.security.SecurityEnvironment;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.hitkeep.web.HttpJson;
import io.hitkeep.core.IngestPaths;
import io.hitkeep.core.Role;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Guards every {@code /api} route of a role through helidon-security and our provider: the caller must
 * present a session cookie or an API key ({@code 401} otherwise), and a state-changing request made
 * with the cookie must come from our own origin ({@code 403} otherwise: the cookie alone does not prove
 * the user meant it). The authenticated {@link Caller} is put into the request context. Before that,
 * every request passes the per-address {@link RequestLimits} (ingest included). Thread-safe.
 */
public final class ApiAuthentication implements HttpFeature {
    /** Routes a caller reaches before having a session (and the API's description, for anyone to read). */
    private static final Set<String> OPEN = Set.of("/api/initial-user", "/api/login", "/api/login/totp",
            "/api/login/passkey/start", "/api/login/passkey/finish", "/api/logout",
            "/api/password-reset", "/api/password-reset/confirm", "/api/docs/openapi.json",
            // a digest's unsubscribe link, which carries its own signed token (mail clients post to it)
            "/api/reports/unsubscribe");
    /**
     * Route prefixes a caller reaches without a session: an invitation link's page data and sign-up, and a
     * public share link's dashboard (each checks its own token).
     */
    private static final List<String> OPEN_PREFIXES = List.of("/api/invitations/", "/api/share/");
    private static final Set<Method> SAFE = Set.of(Method.GET, Method.HEAD, Method.OPTIONS);

    private final Security security;
    private final RequestLimits limits;

    ApiAuthentication(SessionTokens tokens, ApiKeys apiKeys, Revocations revocations, RequestLimits limits) {
        this.security = Security.builder()
                .addAuthenticationProvider(new HitKeepAuthenticationProvider(tokens, apiKeys, revocations), "hitkeep")
                .build();
        this.limits = limits;
    }

    public static ApiAuthentication create(Settings settings, StoreClient store) {
        return create(settings, store, java.time.Clock.systemUTC());
    }

    /** With the clock of the rate limits (a test's own). */
    public static ApiAuthentication create(Settings settings, StoreClient store, java.time.Clock clock) {
        return new ApiAuthentication(new SessionTokens(settings), ApiKeys.of(store), Revocations.of(store),
                new RequestLimits(settings, clock));
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        routing.addFilter(this::filter);
    }

    private void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String path = request.path().path();
        if (!limits.admit(request, response, path)) {
            return;
        }
        if (path.equals("/api/logout") && !SAFE.contains(request.prologue().method()) && crossSite(request)) {
            // open to anyone, but it ends the session its cookie names: a cookie write like the others
            HttpJson.error(response, 403, "cross-site request refused");
            return;
        }
        // other tools' tracker endpoints (/api/event, /api/send) are ingest, open like /ingest: exact paths only
        if (!path.startsWith("/api/") || OPEN.contains(path) || IngestPaths.COMPATIBLE.contains(path)
                || OPEN_PREFIXES.stream().anyMatch(path::startsWith)) {
            chain.proceed();
            return;
        }
        Map<String, List<String>> headers = new HashMap<>();
        request.headers().first(HeaderNames.AUTHORIZATION).ifPresent(value -> headers.put("authorization", List.of(value)));
        request.headers().first(HeaderNames.COOKIE).ifPresent(value -> headers.put("cookie", List.of(value)));
        SecurityEnvironment environment = SecurityEnvironment.builder()
                .method(request.prologue().method().text())
                .path(path)
                .headers(headers)
                .build();
        AuthenticationResponse answer = security.contextBuilder(UUID.randomUUID().toString())
                .env(environment).build()
                .atnClientBuilder().submit();
        Optional<Principal> principal = answer.status().isSuccess()
                ? answer.user().map(subject -> subject.principal()) : Optional.empty();
        if (principal.isEmpty()) {
            HttpJson.error(response, 401, answer.description().orElse("sign in first"));
            return;
        }
        Caller caller = caller(principal.get());
        if (caller.via() == Caller.Via.SESSION && !SAFE.contains(request.prologue().method()) && crossSite(request)) {
            HttpJson.error(response, 403, "cross-site request refused");
            return;
        }
        request.context().register(caller);
        chain.proceed();
    }

    private static Caller caller(Principal principal) {
        long userId = Long.parseLong(principal.id());
        Caller.Via via = Caller.Via.valueOf(principal.abacAttribute(HitKeepAuthenticationProvider.VIA)
                .map(Object::toString).orElse(Caller.Via.SESSION.name()));
        if (via == Caller.Via.SESSION) {
            return Caller.session(userId);
        }
        int team = principal.abacAttribute(HitKeepAuthenticationProvider.KEY_TEAM)
                .map(value -> ((Number) value).intValue()).orElse(-1);
        Role role = principal.abacAttribute(HitKeepAuthenticationProvider.KEY_ROLE)
                .flatMap(value -> Role.parse(value.toString())).orElse(Role.MEMBER);
        return new Caller(userId, via, team, role);
    }

    /**
     * A browser says where a request came from: {@code Sec-Fetch-Site}, else {@code Origin}. Either must
     * name our own origin; a request without both is not from a current browser's page and passes.
     */
    static boolean crossSite(RoutingRequest request) {
        Optional<String> fetchSite = request.headers().first(HeaderNames.create("Sec-Fetch-Site"));
        if (fetchSite.isPresent()) {
            String site = fetchSite.get().toLowerCase(Locale.ROOT);
            return !site.equals("same-origin") && !site.equals("none");
        }
        Optional<String> origin = request.headers().first(HeaderNames.ORIGIN);
        if (origin.isEmpty()) {
            return false;
        }
        Optional<String> host = request.headers().first(HeaderNames.HOST);
        try {
            URI uri = URI.create(origin.get());
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host.isEmpty() || !host.get().equalsIgnoreCase(authority);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
