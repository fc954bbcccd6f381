package io.hitkeep.auth;

import io.hitkeep.core.ApiError;
import io.helidon.webserver.http.ServerRequest;

/**
 * Who is calling an {@code /api} route, as authenticated by {@link ApiAuthentication}: a user through
 * the session cookie, or through one of their API keys. Immutable.
 */
public record Caller(long userId, Via via) {
    public enum Via { SESSION, API_KEY }

    /** The caller of an authenticated route; a 401 if the route was reached without one. */
    public static Caller of(ServerRequest request) {
        return request.context().get(Caller.class).orElseThrow(ApiError::unauthorized);
    }
}
