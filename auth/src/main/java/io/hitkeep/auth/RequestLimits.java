package io.hitkeep.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.hitkeep.core.ClientAddress;
import io.hitkeep.core.IngestPaths;
import io.hitkeep.web.HttpJson;
import io.hitkeep.core.RateLimiter;
import io.hitkeep.core.Settings;

/**
 * Per-client-address rate limits for every HTTP role, keyed by the address {@link ClientAddress}
 * resolves (so clients behind a trusted proxy are told apart by {@code X-Forwarded-For}): ingest
 * ({@code /ingest*}, other tools' tracker endpoints ({@link IngestPaths#COMPATIBLE}) and {@code /api/ingest/*},
 * {@code ingest-rate-limit}, default 600 a minute) and the
 * rest of the API ({@code /api/*}, {@code api-rate-limit}, default 300 a minute). Each allows a minute's
 * worth at once. Over the limit: {@code 429} with {@code Retry-After}. On the ingest path this costs an
 * address parse and one map lookup. Sign-in has its own, stricter limit in {@link AccountRoutes}. Thread-safe.
 */
final class RequestLimits {
    private final ClientAddress clientAddress;
    private final RateLimiter ingest;
    private final RateLimiter api;

    RequestLimits(Settings settings, java.time.Clock clock) {
        this.clientAddress = new ClientAddress(settings);
        int ingestPerMinute = settings.intValue("ingest-rate-limit", 600);
        int apiPerMinute = settings.intValue("api-rate-limit", 300);
        this.ingest = new RateLimiter(ingestPerMinute, ingestPerMinute, clock);
        this.api = new RateLimiter(apiPerMinute, apiPerMinute, clock);
    }

    /** Lets the request through, or answers 429 itself; returns whether it went through. */
    boolean admit(RoutingRequest request, RoutingResponse response, String path) {
        boolean tracker = IngestPaths.fromBrowser(path);
        RateLimiter limiter = tracker || path.startsWith("/api/ingest/") ? ingest : path.startsWith("/api/") ? api : null;
        if (limiter == null) {
            return true;
        }
        String client = clientAddress.resolve(request.remotePeer().address(), request.headers().first(HeaderNames.X_FORWARDED_FOR));
        if (limiter.tryAcquire(client)) {
            return true;
        }
        if (tracker) {
            response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        }
        response.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, limiter.retryAfterSeconds(client))));
        HttpJson.error(response, 429, "too many requests; slow down");
        return false;
    }
}
