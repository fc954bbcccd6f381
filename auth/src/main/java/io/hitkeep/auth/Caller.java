package io.hitkeep.auth;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.Role;
import io.hitkeep.core.Scope;
import io.helidon.webserver.http.ServerRequest;

/**
 * Who is calling an {@code /api} route, as authenticated by {@link ApiAuthentication}: a user through
 * the session cookie, or through one of their API keys, which acts only in its team ({@code keyTeamId})
 * with at most {@code keyRole}. What the caller may do is decided by {@link Access} from {@link #scope()}. Immutable.
 */
public record Caller(long userId, Via via, int keyTeamId, Role keyRole) {
    public enum Via { SESSION, API_KEY }

    public static Caller session(long userId) {
        return new Caller(userId, Via.SESSION, 0, Role.MEMBER);
    }

    /** The caller of an authenticated route; a 401 if the route was reached without one. */
    public static Caller of(ServerRequest request) {
        return request.context().get(Caller.class).orElseThrow(DomainError::unauthorized);
    }

    /** The caller as every store request on team data names it: user, and for a key its team and role. */
    public Scope scope() {
        return via == Via.API_KEY ? Scope.apiKey(userId, keyTeamId, keyRole) : Scope.user(userId);
    }

    /**
     * The caller, who must be signed in with the session cookie (not an API key), e.g. for account security;
     * {@link Access} decides.
     */
    public static Caller sessionOnly(ServerRequest request) {
        Caller caller = of(request);
        Access.requireMeans(caller.scope(), Access.Action.MANAGE_OWN_ACCOUNT);
        return caller;
    }
}
