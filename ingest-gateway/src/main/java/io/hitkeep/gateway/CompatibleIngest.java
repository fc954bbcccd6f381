package io.hitkeep.gateway;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.core.ClientAddress;
import io.hitkeep.core.Hit;

import java.util.Optional;

/**
 * What the endpoints of other tools' trackers ({@link PlausibleEvents}, {@link UmamiEvents},
 * {@link GoatCounterCounts}) share: each turns its tool's request into {@link IngestRequest}s, and this runs
 * them through the tracker's own {@link IngestPipeline} (do-not-track, bots, unknown site, excluded
 * addresses and paths, enrichment, the daily salt) and stores what is kept in the stream before the
 * endpoint answers, as {@code /ingest} does. Each endpoint answers in its tool's own way. Thread-safe.
 */
final class CompatibleIngest {
    private final IngestPipeline pipeline;
    private final HitPublisher publisher;
    private final ClientAddress clientAddress;
    private final SiteRegistry registry;

    CompatibleIngest(SiteRegistry registry, Salts salts, HitPublisher publisher, ClientAddress clientAddress) {
        this.pipeline = new IngestPipeline(registry::find, salts::today, true);
        this.publisher = publisher;
        this.clientAddress = clientAddress;
        this.registry = registry;
    }

    SiteRegistry registry() {
        return registry;
    }

    BrowserVisitor visitor(ServerRequest request) {
        return BrowserVisitor.of(request, clientAddress);
    }

    /** Runs the request through the pipeline and stores its hit, unless the pipeline dropped it. */
    void store(IngestRequest request) {
        store(pipeline.process(request).hit());
    }

    /** As {@link #store(IngestRequest)}, the page's hit as an engagement ping: the page was visible {@code millis} ms. */
    void storeEngagement(IngestRequest request, long millis) {
        // a tab left visible for days sends a larger value: clamp it rather than lose the ping
        int clamped = (int) Math.min(millis, IngestRoutes.MAX_ENGAGED_MILLIS);
        store(pipeline.process(request).hit().map(hit -> hit.asEngagement(clamped)));
    }

    /** Waits until the stream has stored the hit: only then may the endpoint answer; a 503 when it cannot. */
    private void store(Optional<Hit> hit) {
        hit.ifPresent(kept -> publisher.store(kept, null));
    }

    /** Any page may send hits; no credentials are involved. */
    static void cors(ServerResponse response) {
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }

    /** The answer to a CORS preflight: POST from any origin with the request headers the tool's tracker sends. */
    static void preflight(ServerResponse response, String allowedHeaders) {
        cors(response);
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS");
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, allowedHeaders);
        response.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
        response.status(204).send();
    }
}
