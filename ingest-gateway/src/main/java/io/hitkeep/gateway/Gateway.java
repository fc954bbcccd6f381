package io.hitkeep.gateway;

import io.helidon.webserver.http.HttpRouting;
import io.hitkeep.core.ClientAddress;
import io.hitkeep.core.Settings;
import io.nats.client.Connection;

/**
 * The ingest gateway role: site registry, salts and publisher over one NATS connection, and the HTTP
 * routes that use them. Stateless apart from caches: run as many as needed.
 */
public final class Gateway implements AutoCloseable {
    private final SiteRegistry registry;
    private final HitPublisher publisher;
    private final IngestRoutes routes;

    private Gateway(SiteRegistry registry, HitPublisher publisher, IngestRoutes routes) {
        this.registry = registry;
        this.publisher = publisher;
        this.routes = routes;
    }

    public static Gateway start(Settings settings, Connection nats) {
        SiteRegistry registry = new SiteRegistry(nats);
        HitPublisher publisher = new HitPublisher(nats);
        return new Gateway(registry, publisher, new IngestRoutes(registry, new Salts(nats), publisher, new ClientAddress(settings)));
    }

    /**
     * The gateway's routes, for its own {@code GatewayMain} and the single binary alike: {@code /ingest},
     * {@code /ingest/event}, {@code /ingest/engagement}, {@code /api/ingest/server/*} and {@code /hk.js}. The
     * server-side routes need auth's guard mounted before them ({@code AuthApi.guard}).
     */
    public void routing(HttpRouting.Builder routing) {
        routing.addFeature(routes).addFeature(new TrackerRoutes());
    }

    /** Publishes the hits in hand before returning. */
    @Override
    public void close() {
        publisher.close();
        registry.close();
    }
}
