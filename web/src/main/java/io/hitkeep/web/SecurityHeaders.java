package io.hitkeep.web;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.hitkeep.core.IngestPaths;

/**
 * Headers every page and API response carries: no sniffing, no framing, no referrer leaks, a strict CSP.
 * The ingest endpoints ({@link IngestPaths#fromBrowser}) are left out: their answer is an empty 202 (or a
 * one-pixel GIF) to a beacon, nothing a browser renders as a page, and they are the hot path.
 */
public final class SecurityHeaders implements Filter {
    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String path = request.path().path();
        if (path != null && IngestPaths.fromBrowser(path)) {
            chain.proceed();
            return;
        }
        response.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        response.header(HeaderNames.create("X-Frame-Options"), "DENY");
        response.header(HeaderNames.create("Referrer-Policy"), "strict-origin-when-cross-origin");
        response.header(HeaderNames.create("Content-Security-Policy"),
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                        + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
        chain.proceed();
    }
}
