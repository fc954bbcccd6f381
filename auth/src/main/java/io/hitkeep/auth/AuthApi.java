package io.hitkeep.auth;

import io.helidon.webserver.http.HttpRouting;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;

/**
 * Auth's HTTP face, declared once for every launcher: {@link #guard} authenticates every {@code /api}
 * route (a gateway needs it for server-side ingest), {@link #routing} adds auth's own routes (accounts,
 * teams and invitations, passkeys) after it.
 */
public final class AuthApi {
    private AuthApi() {
    }

    /** Authenticates every {@code /api} route: the session cookie or an API key; a few routes are public. */
    public static void guard(HttpRouting.Builder routing, Settings settings, StoreClient store) {
        routing.addFeature(ApiAuthentication.create(settings, store));
    }

    /** The guard, then accounts, teams and passkeys under {@code /api}. */
    public static void routing(HttpRouting.Builder routing, Settings settings, StoreClient store) {
        guard(routing, settings, store);
        routing.register("/api", new AccountRoutes(settings, store))
                .register("/api", new TeamRoutes(settings, store))
                .register("/api", new PasskeyRoutes(settings, store));
    }
}
