package io.hitkeep.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.auth.Access;
import io.hitkeep.auth.Caller;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.ClientAddress;
import io.hitkeep.core.Domains;
import io.hitkeep.core.Hashes;
import io.hitkeep.web.HttpJson;
import io.hitkeep.core.Json;
import io.hitkeep.core.Role;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The ingest endpoints: {@code POST /ingest} and {@code POST /ingest/event} for the tracker (CORS for any
 * origin, no credentials), and {@code POST /api/ingest/server/pageview|event} for backends with an API
 * key. A 202 is sent only once the stream has stored the hit, or when the hit was deliberately dropped.
 * Thread-safe.
 */
final class IngestRoutes implements HttpFeature {
    static final int BODY_LIMIT = 64 * 1024;
    /** A day: a tab left open longer says nothing more about engagement. */
    static final int MAX_ENGAGED_MILLIS = 86_400_000;
    private static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");

    private final IngestPipeline trackerPipeline;
    private final IngestPipeline serverPipeline;
    private final SiteRegistry registry;
    private final HitPublisher publisher;
    private final ClientAddress clientAddress;

    IngestRoutes(SiteRegistry registry, Salts salts, HitPublisher publisher, ClientAddress clientAddress) {
        this.registry = registry;
        this.publisher = publisher;
        this.clientAddress = clientAddress;
        this.trackerPipeline = new IngestPipeline(registry::find, salts::today, true);
        this.serverPipeline = new IngestPipeline(registry::find, salts::today, false);
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        routing.options("/ingest", IngestRoutes::preflight)
                .options("/ingest/event", IngestRoutes::preflight)
                .options("/ingest/engagement", IngestRoutes::preflight)
                .post("/ingest", (request, response) -> tracker(request, response, false))
                .post("/ingest/event", (request, response) -> tracker(request, response, true))
                .post("/ingest/engagement", this::engagement)
                .post("/api/ingest/server/pageview", (request, response) -> server(request, response, false))
                .post("/api/ingest/server/event", (request, response) -> server(request, response, true));
    }

    private static void preflight(ServerRequest request, ServerResponse response) {
        cors(response);
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS");
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type");
        response.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "86400");
        response.status(204).send();
    }

    private static void cors(ServerResponse response) {
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }

    private void tracker(ServerRequest request, ServerResponse response, boolean event) {
        cors(response);
        store(trackerPipeline.process(trackerRequest(request, HttpJson.object(request, BODY_LIMIT), event)), response);
    }

    /**
     * The tracker's engagement ping, sent when a page is hidden: {@code url}, {@code session_id} and
     * {@code engaged_ms}, how long the page was visible. It goes through the pipeline like a pageview (a
     * bot's or a do-not-track visitor's ping is dropped alike) and is stored apart from pageviews.
     */
    private void engagement(ServerRequest request, ServerResponse response) {
        cors(response);
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        JsonNode engaged = body.path("engaged_ms");
        if (!engaged.isIntegralNumber() || engaged.asLong() < 1) {
            throw DomainError.invalid("engaged_ms must be a whole, positive number of milliseconds");
        }
        // a tab left visible for days sends a larger value: clamp it rather than lose the ping
        int millis = (int) Math.min(engaged.asLong(), MAX_ENGAGED_MILLIS);
        IngestPipeline.Outcome outcome = trackerPipeline.process(trackerRequest(request, body, false));
        store(new IngestPipeline.Outcome(outcome.hit().map(hit -> hit.asEngagement(millis)), outcome.dropped()), response);
    }

    /** A browser's hit: its headers tell the visitor (a backend's request carries its own, not its visitor's). */
    private IngestRequest trackerRequest(ServerRequest request, JsonNode body, boolean event) {
        BrowserVisitor visitor = BrowserVisitor.of(request, clientAddress);
        return IngestRequest.parse(body, event, visitor.timestampMicros(), visitor.userAgent(), visitor.clientIp(),
                visitor.doNotTrack(), visitor.clientHints());
    }

    /** Server-side ingest: the backend says when, from where and with which user agent. */
    private void server(ServerRequest request, ServerResponse response, boolean event) {
        Caller caller = Caller.of(request);
        Access.requireMeans(caller.scope(), Access.Action.SEND_HITS);
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        String visitorIp = Json.text(body, "visitor_ip").strip();
        if (visitorIp.isEmpty() || ClientAddress.literal(visitorIp).isEmpty()) {
            throw DomainError.invalid("visitor_ip must be an IP address");
        }
        String userAgent = Json.text(body, "user_agent");
        if (userAgent.isBlank()) {
            throw DomainError.invalid("user_agent is required");
        }
        IngestRequest ingest = IngestRequest.parse(body, event, timestamp(Json.text(body, "timestamp")), userAgent,
                visitorIp, false);
        String siteKey = Domains.siteKey(ingest.url().getHost());
        SiteRegistry.Site site = registry.find(siteKey).orElseThrow(() -> DomainError.notFound("no site for " + siteKey));
        Optional<Role> keyRoleInTeam = site.teamId() == caller.keyTeamId() ? Optional.of(caller.keyRole()) : Optional.empty();
        if (!Access.may(caller.scope(), Access.Action.SEND_HITS, keyRoleInTeam)) {
            throw DomainError.forbidden("this API key may not send hits for this site");
        }
        store(serverPipeline.process(ingest), idempotencyKey(request, site), response);
    }

    /**
     * The message id for a backend's {@code Idempotency-Key}: per site, so two sites' keys never meet, and
     * hashed, so any printable key makes a valid id. Null without the header.
     */
    private static String idempotencyKey(ServerRequest request, SiteRegistry.Site site) {
        Optional<String> key = request.headers().first(IDEMPOTENCY_KEY);
        if (key.isEmpty()) {
            return null;
        }
        String text = key.get().strip();
        if (text.isEmpty() || text.length() > 255 || !text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw DomainError.invalid("Idempotency-Key must be 1 to 255 printable ASCII characters");
        }
        return "idem-" + site.id() + "-" + Hashes.sha256Hex(text);
    }

    private void store(IngestPipeline.Outcome outcome, ServerResponse response) {
        store(outcome, null, response);
    }

    private void store(IngestPipeline.Outcome outcome, String messageId, ServerResponse response) {
        if (outcome.hit().isEmpty()) {
            response.status(202).send();
            return;
        }
        publisher.store(outcome.hit().get(), messageId);
        response.status(202).send();
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    /** An RFC 3339 time, no more than a week old and not in the future; empty means now. */
    private static long timestamp(String text) {
        if (text.isBlank()) {
            return nowMicros();
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw DomainError.invalid("timestamp must be RFC 3339, e.g. 2025-01-31T12:00:00Z");
        }
        Instant now = Instant.now();
        if (instant.isAfter(now.plus(Duration.ofMinutes(5))) || instant.isBefore(now.minus(7, ChronoUnit.DAYS))) {
            throw DomainError.invalid("timestamp must be within the last 7 days");
        }
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
    }
}
