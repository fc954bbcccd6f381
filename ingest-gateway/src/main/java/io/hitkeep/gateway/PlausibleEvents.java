package io.hitkeep.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Domains;
import io.hitkeep.core.Json;
import io.hitkeep.web.HttpJson;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plausible's event endpoint, {@code POST /api/event}, as Plausible's script, its npm package
 * ({@code @plausible-analytics/tracker}) and its Events API send it: a page keeps its Plausible snippet and
 * only points it at this server. The body is JSON (sent as {@code text/plain} by the scripts) with the
 * scripts' short names or the Events API's long ones: {@code n}/{@code name} (required; {@code pageview} is
 * a pageview, {@code engagement} the page's visible time in {@code e} ms, anything else a custom event),
 * {@code u}/{@code url}, {@code d}/{@code domain} (the site; comma-separated: one hit for each known site,
 * as Plausible does), {@code r}/{@code referrer}, {@code w}/{@code screen_width}, {@code h}/{@code hash_mode}
 * and {@code p}/{@code props}/{@code m}/{@code meta} (an object or a JSON string of one). Revenue
 * ({@code $}), {@code i} (interactive), {@code v} and scroll depth ({@code sd}) are ignored. Answers
 * {@code 202 ok} whether the hit was kept or dropped, as Plausible does. Thread-safe.
 */
final class PlausibleEvents implements HttpFeature {
    /** More domains than a sensible roll-up: one request must not fan out into many hits. */
    static final int MAX_DOMAINS = 10;
    private static final byte[] OK = "ok".getBytes(StandardCharsets.UTF_8);

    /**
     * What one request asks for: the same hit for each site it names, as a pageview, an event, or an
     * engagement ping when {@code engagedMillis} is above zero; none at all for what is ignored.
     */
    record Parsed(List<IngestRequest> hits, long engagedMillis) {
    }

    private final CompatibleIngest ingest;

    PlausibleEvents(CompatibleIngest ingest) {
        this.ingest = ingest;
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        // the scripts send text/plain (no preflight); the Events API from a page may send application/json
        routing.options("/api/event", (request, response) -> CompatibleIngest.preflight(response, "Content-Type"))
                .post("/api/event", this::event);
    }

    private void event(ServerRequest request, ServerResponse response) {
        CompatibleIngest.cors(response);
        Parsed parsed = parse(HttpJson.object(request, IngestRoutes.BODY_LIMIT), ingest.visitor(request));
        for (IngestRequest hit : parsed.hits()) {
            if (parsed.engagedMillis() > 0) {
                ingest.storeEngagement(hit, parsed.engagedMillis());
            } else {
                ingest.store(hit);
            }
        }
        response.status(202);
        response.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.send(OK);
    }

    /** Reads a Plausible event body; anything malformed is a 400 before any hit is stored. */
    static Parsed parse(JsonNode body, BrowserVisitor visitor) {
        String name = IngestRequest.eventName(text(body, "n", "name"));
        boolean hashMode = flag(field(body, "h", "hash_mode"));
        String pageUrl = text(body, "u", "url").strip();
        if (pageUrl.isEmpty()) {
            throw DomainError.invalid("u (the page's URL) is required");
        }
        URI url = IngestRequest.url(hashMode ? hashRouteAsPath(pageUrl) : pageUrl);
        List<String> siteKeys = siteKeys(text(body, "d", "domain"));
        String referrer = text(body, "r", "referrer");
        JsonNode width = field(body, "w", "screen_width");
        int viewportWidth = width.canConvertToInt() ? width.asInt() : 0;
        long engagedMillis = 0;
        String eventName = "";
        String props = "";
        switch (name) {
            case "pageview" -> {
            }
            case "engagement" -> {
                // sent when a page is hidden or left: the time it was visible goes with its pageview
                JsonNode engaged = body.path("e");
                engagedMillis = engaged.canConvertToLong() ? engaged.asLong() : 0;
                if (engagedMillis < 1) {
                    return new Parsed(List.of(), 0);
                }
            }
            // older scripts' page-leave signal carries no time: nothing to keep
            case "pageleave" -> {
                return new Parsed(List.of(), 0);
            }
            default -> {
                eventName = name;
                JsonNode given = field(body, "p", "props");
                props = propsObject(isAbsent(given) ? field(body, "m", "meta") : given).map(IngestRequest::props).orElse("");
            }
        }
        List<IngestRequest> hits = new ArrayList<>(siteKeys.size());
        for (String siteKey : siteKeys) {
            hits.add(IngestRequest.fromBrowser(visitor, siteKey, url, referrer, "", viewportWidth, eventName, props));
        }
        return new Parsed(List.copyOf(hits), engagedMillis);
    }

    /** The first of a field's two names that the body has (a missing node when it has neither). */
    private static JsonNode field(JsonNode body, String shortName, String longName) {
        JsonNode value = body.path(shortName);
        return isAbsent(value) ? body.path(longName) : value;
    }

    private static boolean isAbsent(JsonNode value) {
        return value.isMissingNode() || value.isNull();
    }

    private static String text(JsonNode body, String shortName, String longName) {
        String value = Json.text(body, shortName);
        return value.isEmpty() ? Json.text(body, longName) : value;
    }

    /** {@code h: 1} from the scripts, {@code hash_mode: true} from others. */
    private static boolean flag(JsonNode value) {
        return value.asBoolean(false) || value.asInt(0) == 1;
    }

    /**
     * Hash routes are pages, as with hk.js's {@code data-hash}: {@code /#/about} is {@code /about} and
     * {@code /app#/users} is {@code /app/users}, so a site's pages look alike whichever tracker counted them.
     */
    static String hashRouteAsPath(String url) {
        return url.replaceFirst("/?#/?", "/");
    }

    /**
     * The sites of {@code d}: each domain made a site key ({@code www.} removed), duplicates once. Plausible's
     * scripts send one domain, or several to count a page in a roll-up site too.
     */
    static List<String> siteKeys(String domains) {
        Set<String> keys = new LinkedHashSet<>();
        for (String domain : domains.split(",")) {
            if (!domain.isBlank()) {
                keys.add(Domains.parse(domain).orElseThrow(() -> DomainError.invalid("d: '" + IngestRequest.cap(domain.strip(), 100)
                        + "' is not a domain such as example.com")));
            }
        }
        if (keys.isEmpty()) {
            throw DomainError.invalid("d (the site's domain) is required");
        }
        if (keys.size() > MAX_DOMAINS) {
            throw DomainError.invalid("d names more than " + MAX_DOMAINS + " domains");
        }
        return List.copyOf(keys);
    }

    /**
     * The event's properties from {@code p} (or the older {@code m}): an object, or a string holding one.
     * Like Plausible, entries whose value is empty, null, a list or an object are left out.
     */
    static Optional<ObjectNode> propsObject(JsonNode props) {
        if (isAbsent(props)) {
            return Optional.empty();
        }
        JsonNode object = props;
        if (props.isTextual()) {
            if (props.asText().isBlank()) {
                return Optional.empty();
            }
            try {
                object = Json.tree(props.asText().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw DomainError.invalid("p must be an object or a JSON string of one");
            }
        }
        if (object == null || !object.isObject()) {
            throw DomainError.invalid("p must be an object or a JSON string of one");
        }
        ObjectNode kept = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = fields.next();
            JsonNode value = entry.getValue();
            if (value.isValueNode() && !value.isNull() && !(value.isTextual() && value.asText().isEmpty())) {
                kept.set(entry.getKey(), value);
            }
        }
        return Optional.of(kept);
    }
}
