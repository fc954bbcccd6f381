package io.hitkeep.gateway;

import io.helidon.webserver.http.HttpRouting;
import io.hitkeep.core.ClientAddress;
import io.hitkeep.core.Settings;
import io.nats.client.Connection;

import java.net.URI;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

/**
 * The ingest gateway role: site registry, salts and publisher over one NATS connection, and the HTTP
 * routes that use them. Stateless apart from caches: run as many as needed.
 */
public final class Gateway implements AutoCloseable {
    private final SiteRegistry registry;
    private final HitPublisher publisher;
    private final IngestRoutes routes;
    private final CompatibleIngest compatible;

    private Gateway(SiteRegistry registry, HitPublisher publisher, IngestRoutes routes, CompatibleIngest compatible) {
        this.registry = registry;
        this.publisher = publisher;
        this.routes = routes;
        this.compatible = compatible;
    }

    /** Under the data directory: files derived from the jar's own data, made again when missing. */
    static final String CACHE_DIRECTORY = "cache";

    public static Gateway start(Settings settings, Connection nats) {
        // before the warm-up loads it: the country table as a mapped file rather than heap
        Countries.keepUnder(settings.dataPath().resolve(CACHE_DIRECTORY));
        warmUp();
        SiteRegistry registry = new SiteRegistry(nats);
        HitPublisher publisher = new HitPublisher(nats);
        Salts salts = new Salts(nats);
        ClientAddress clientAddress = new ClientAddress(settings);
        return new Gateway(registry, publisher, new IngestRoutes(registry, salts, publisher, clientAddress),
                new CompatibleIngest(registry, salts, publisher, clientAddress));
    }

    /**
     * Runs one made-up hit through the pipeline, and publishes nothing: the bot lists, the user-agent parser,
     * the country table and the referrer list load on first use, which takes seconds on a busy machine, and
     * the first visitors' requests (or a load test's first seconds) would wait for it.
     */
    private static void warmUp() {
        new IngestPipeline(domain -> Optional.of(new SiteRegistry.Site(0, 0, domain)),
                () -> new Salts.DailySalt(LocalDate.EPOCH, "warm-up"), true)
                .process(new IngestRequest(URI.create("https://example.com/"), "https://www.google.com/", "", "en", 1280, Map.of(),
                        "", "", 0, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "203.0.113.1", false));
    }

    /**
     * The gateway's routes, for its own {@code GatewayMain} and the single binary alike: {@code /ingest},
     * {@code /ingest/event}, {@code /ingest/engagement}, {@code /api/ingest/server/*}, {@code /hk.js}, and
     * other tools' tracker endpoints: Plausible's {@code /api/event}, Umami's {@code /api/send} and
     * GoatCounter's {@code /count}. The server-side routes need auth's guard mounted before them
     * ({@code AuthApi.guard}); the guard lets the other tools' endpoints through ({@code IngestPaths}).
     */
    public void routing(HttpRouting.Builder routing) {
        routing.addFeature(routes).addFeature(new TrackerRoutes()).addFeature(new PlausibleEvents(compatible))
                .addFeature(new UmamiEvents(compatible)).addFeature(new GoatCounterCounts(compatible));
    }

    /** Publishes the hits in hand before returning. */
    @Override
    public void close() {
        publisher.close();
        registry.close();
    }
}
