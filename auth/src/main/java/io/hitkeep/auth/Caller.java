package io.hitkeep.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.ApiError;
import io.hitkeep.core.Json;
import io.hitkeep.core.Role;
import io.helidon.webserver.http.ServerRequest;

/**
 * Who is calling an {@code /api} route, as authenticated by {@link ApiAuthentication}: a user through
 * the session cookie, or through one of their API keys, which acts only in its team ({@code keyTeamId})
 * with at most {@code keyRole}. What the caller may do with a team's data is decided by the writer's team
 * rules from {@link #scope()}. Immutable.
 */
public record Caller(long userId, Via via, int keyTeamId, Role keyRole) {
    public enum Via { SESSION, API_KEY }

    public static Caller session(long userId) {
        return new Caller(userId, Via.SESSION, 0, Role.MEMBER);
    }

    /** The caller of an authenticated route; a 401 if the route was reached without one. */
    public static Caller of(ServerRequest request) {
        return request.context().get(Caller.class).orElseThrow(ApiError::unauthorized);
    }

    /** The caller as every store request on team data names it: user, and for a key its team and role. */
    public ObjectNode scope() {
        ObjectNode scope = Json.object().put("user_id", userId);
        if (via == Via.API_KEY) {
            scope.put("key_team_id", keyTeamId).put("key_role", keyRole.label());
        }
        return scope;
    }

    /** The caller, who must be signed in with the session cookie (not an API key), e.g. for account security. */
    public static Caller sessionOnly(ServerRequest request) {
        Caller caller = of(request);
        if (caller.via() != Via.SESSION) {
            throw new ApiError(403, "sign in with your password for this; an API key cannot do it");
        }
        return caller;
    }
}
