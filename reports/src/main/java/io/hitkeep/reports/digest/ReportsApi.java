package io.hitkeep.reports.digest;

import io.helidon.webserver.http.HttpRouting;
import io.hitkeep.auth.PublicUrl;
import io.hitkeep.auth.SessionTokens;
import io.hitkeep.core.Mail;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;

import java.time.Clock;

/**
 * The reports module's HTTP face, declared once for every role that serves {@code /api} (the single binary,
 * the query role): digest subscriptions under {@code /api/sites/{id}/reports} and the unsubscribe link at
 * {@code /api/reports/unsubscribe}. Mount it after auth's guard ({@code AuthApi}).
 */
public final class ReportsApi {
    private ReportsApi() {
    }

    public static void routing(HttpRouting.Builder routing, Settings settings, StoreClient store) {
        Digests digests = new Digests(store, new SessionTokens(settings));
        routing.register("/api/sites", new DigestRoutes(store, digests, new PublicUrl(settings), Mail.configured(settings), Clock.systemUTC()))
                .register(Digests.UNSUBSCRIBE_PATH, new UnsubscribeRoutes(store, digests));
    }
}
