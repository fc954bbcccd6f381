package io.hitkeep.core;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/** Headers every response carries: no sniffing, no framing, no referrer leaks, a strict CSP. */
public final class SecurityHeaders implements Filter {
    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        response.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        response.header(HeaderNames.create("X-Frame-Options"), "DENY");
        response.header(HeaderNames.create("Referrer-Policy"), "strict-origin-when-cross-origin");
        response.header(HeaderNames.create("Content-Security-Policy"),
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                        + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
        chain.proceed();
    }
}
