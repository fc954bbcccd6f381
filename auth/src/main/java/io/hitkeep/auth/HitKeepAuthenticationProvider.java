package io.hitkeep.auth;

import io.helidon.security.AuthenticationResponse;
import io.helidon.security.Principal;
import io.helidon.security.ProviderRequest;
import io.helidon.security.Subject;
import io.helidon.security.spi.AuthenticationProvider;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The helidon-security provider for every HitKeep role: a Bearer API key, else the {@code hk_token}
 * session cookie (refused once signed out, see {@link Revocations}). The principal's id is the user id; its
 * {@code via} attribute says which one. Thread-safe.
 */
final class HitKeepAuthenticationProvider implements AuthenticationProvider {
    static final String VIA = "via";
    static final String KEY_TEAM = "key_team";
    static final String KEY_ROLE = "key_role";

    private final SessionTokens tokens;
    private final ApiKeys apiKeys;
    private final Revocations revocations;

    HitKeepAuthenticationProvider(SessionTokens tokens, ApiKeys apiKeys, Revocations revocations) {
        this.tokens = tokens;
        this.apiKeys = apiKeys;
        this.revocations = revocations;
    }

    @Override
    public AuthenticationResponse authenticate(ProviderRequest request) {
        Map<String, List<String>> headers = request.env().headers();
        Optional<String> bearer = first(headers, "authorization")
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).strip());
        if (bearer.isPresent()) {
            return apiKeys.find(bearer.get())
                    .map(key -> AuthenticationResponse.success(Subject.create(Principal.builder()
                            .id(Long.toString(key.userId())).name(Long.toString(key.userId()))
                            .addAttribute(VIA, Caller.Via.API_KEY.name())
                            .addAttribute(KEY_TEAM, key.teamId()).addAttribute(KEY_ROLE, key.role().label()).build())))
                    .orElseGet(() -> AuthenticationResponse.failed("unknown or revoked API key"));
        }
        Optional<String> cookie = headers.getOrDefault("cookie", List.of()).stream()
                .flatMap(line -> java.util.Arrays.stream(line.split(";")))
                .map(String::strip)
                .filter(pair -> pair.startsWith(SessionTokens.COOKIE + "="))
                .map(pair -> pair.substring(SessionTokens.COOKIE.length() + 1))
                .findFirst();
        if (cookie.isPresent()) {
            return tokens.session(cookie.get())
                    .filter(revocations::allowed)
                    .map(session -> success(session.userId(), Caller.Via.SESSION))
                    .orElseGet(() -> AuthenticationResponse.failed("session expired or invalid; sign in again"));
        }
        return AuthenticationResponse.failed("sign in first");
    }

    private static AuthenticationResponse success(long userId, Caller.Via via) {
        return AuthenticationResponse.success(Subject.create(Principal.builder()
                .id(Long.toString(userId)).name(Long.toString(userId)).addAttribute(VIA, via.name()).build()));
    }

    private static Optional<String> first(Map<String, List<String>> headers, String name) {
        return headers.getOrDefault(name, List.of()).stream().findFirst();
    }
}
