package io.hitkeep.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.core.Settings;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code hk_token} cookie: set when a sign-in completes (by password, second factor, passkey or an
 * accepted invitation), cleared on sign-out. HttpOnly and SameSite=Strict always; Secure when the public
 * URL is https or a trusted proxy says the request came over https. Thread-safe.
 */
public final class SessionCookies {
    private final SessionTokens tokens;
    private final boolean secureCookies;

    public SessionCookies(Settings settings, SessionTokens tokens) {
        this.tokens = tokens;
        this.secureCookies = settings.value(Settings.PUBLIC_URL, "").startsWith("https://");
    }

    /** Signs the user in on this response with a token of the session's lifetime. */
    public void start(ServerRequest request, ServerResponse response, long userId, long epoch) {
        start(request, response, userId, epoch, false);
    }

    /** Signs the user in; {@code remember} ("remember me") makes the token and cookie last {@code remember-lifetime}. */
    public void start(ServerRequest request, ServerResponse response, long userId, long epoch, boolean remember) {
        String token = remember ? tokens.issueRemembered(userId, epoch) : tokens.issue(userId, epoch);
        long maxAge = (remember ? tokens.rememberedLifetime() : tokens.lifetime()).toSeconds();
        response.header(HeaderNames.SET_COOKIE, cookie(request, token, maxAge));
    }

    /** Removes the cookie from the browser. */
    public void clear(ServerRequest request, ServerResponse response) {
        response.header(HeaderNames.SET_COOKIE, cookie(request, "", 0));
    }

    /** The raw token the request carries, if any. */
    public static Optional<String> token(ServerRequest request) {
        return request.headers().all(HeaderNames.COOKIE, List::of).stream()
                .flatMap(line -> Arrays.stream(line.split(";")))
                .map(String::strip)
                .filter(pair -> pair.startsWith(SessionTokens.COOKIE + "="))
                .map(pair -> pair.substring(SessionTokens.COOKIE.length() + 1))
                .findFirst();
    }

    private String cookie(ServerRequest request, String value, long maxAgeSeconds) {
        boolean secure = secureCookies || request.headers().first(HeaderNames.X_FORWARDED_PROTO)
                .map(proto -> proto.equalsIgnoreCase("https")).orElse(false);
        return SessionTokens.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }
}
