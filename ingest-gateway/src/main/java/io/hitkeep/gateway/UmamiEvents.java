package io.hitkeep.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Domains;
import io.hitkeep.core.Json;
import io.hitkeep.web.HttpJson;

import java.net.URI;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Umami's collect endpoint, {@code POST /api/send}, as Umami's tracker script and {@code @umami/node} send
 * it: {@code {"type": "event", "payload": {"website", "hostname", "url", "referrer", "title", "screen",
 * "language", "name", "data"}}}. Without {@code name} it is a pageview, with it a custom event whose
 * {@code data} are its properties (nested objects flattened to {@code a.b}, lists kept as JSON text);
 * {@code "type": "identify"} is accepted and ignored, and so are {@code title}, {@code tag}, {@code id} and
 * the {@code x-umami-cache} header. The site is the one whose Umami website id ({@code umami_website_id},
 * a site setting) is {@code website}, when the page's host is that site's domain or below it; otherwise the
 * page's host names the site, as on {@code /ingest}, so pointing a snippet here works before the id is set.
 * Answers {@code 200 {"ok": true}} whether the hit was kept or dropped. Thread-safe.
 */
final class UmamiEvents implements HttpFeature {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final byte[] OK = Json.bytes(Json.object().put("ok", true));

    private final CompatibleIngest ingest;

    UmamiEvents(CompatibleIngest ingest) {
        this.ingest = ingest;
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        // the tracker sends application/json, and x-umami-cache after its first answer: both need a preflight
        routing.options("/api/send", (request, response) -> CompatibleIngest.preflight(response, "Content-Type, x-umami-cache"))
                .post("/api/send", this::send);
    }

    private void send(ServerRequest request, ServerResponse response) {
        CompatibleIngest.cors(response);
        parse(HttpJson.object(request, IngestRoutes.BODY_LIMIT), ingest.visitor(request), ingest.registry()::umamiWebsite)
                .ifPresent(ingest::store);
        HttpJson.send(response, 200, OK);
    }

    /**
     * Reads an Umami body; anything malformed is a 400. Empty for what is accepted and ignored (identify).
     *
     * @param umamiSites a website id (lower case) to the site that has it
     */
    static Optional<IngestRequest> parse(JsonNode body, BrowserVisitor visitor, Function<String, Optional<SiteRegistry.Site>> umamiSites) {
        String type = Json.text(body, "type").strip().toLowerCase(Locale.ROOT);
        if (!type.equals("event") && !type.equals("identify")) {
            throw DomainError.invalid("type must be \"event\" or \"identify\"");
        }
        JsonNode payload = body.path("payload");
        if (!payload.isObject()) {
            throw DomainError.invalid("payload must be an object");
        }
        String website = Json.text(payload, "website").strip();
        if (!UUID.matcher(website).matches()) {
            throw DomainError.invalid("payload.website must be the website's id, a UUID");
        }
        if (type.equals("identify")) {
            // Umami keeps the session's own data; HitKeep keeps no data about a person
            return Optional.empty();
        }
        // the tracker sends url and referrer through encodeURI: valid URI text as it is, decoded later with the path
        URI url = IngestRequest.url(pageUrl(Json.text(payload, "hostname").strip(), Json.text(payload, "url").strip()));
        String host = Domains.siteKey(url.getHost());
        String siteKey = umamiSites.apply(website.toLowerCase(Locale.ROOT))
                .filter(site -> site.covers(host)).map(SiteRegistry.Site::domain)
                .orElse(host);
        String name = Json.text(payload, "name");
        boolean event = !name.isBlank();
        return Optional.of(IngestRequest.fromBrowser(visitor, siteKey, url, Json.text(payload, "referrer"),
                Json.text(payload, "language"), screenWidth(Json.text(payload, "screen")),
                event ? IngestRequest.eventName(name) : "", event ? IngestRequest.props(flatData(payload.path("data"))) : ""));
    }

    /**
     * The page's URL: {@code url} when it is absolute (newer trackers), else {@code hostname} and the path
     * {@code url} gives (Umami 2's tracker sends {@code /path?query}). The scheme is not sent; it does not
     * matter for a site.
     */
    static String pageUrl(String hostname, String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return url;
        }
        if (hostname.isEmpty()) {
            throw DomainError.invalid("payload.hostname is required when payload.url is a path");
        }
        if (hostname.contains("/") || hostname.contains("@") || hostname.contains("?") || hostname.contains("#")) {
            throw DomainError.invalid("payload.hostname must be a host name");
        }
        return "https://" + hostname + (url.startsWith("/") ? url : "/" + url);
    }

    /** The width of {@code screen} ({@code 1920x1080}); 0 when it says none. */
    static int screenWidth(String screen) {
        int cut = screen.indexOf('x');
        try {
            return cut > 0 ? Integer.parseInt(screen.substring(0, cut).strip()) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Event data as flat properties, as Umami stores them: nested objects become {@code parent.child}, lists
     * their JSON text; nulls are left out. Empty for no data.
     */
    static ObjectNode flatData(JsonNode data) {
        ObjectNode flat = Json.object();
        if (data.isMissingNode() || data.isNull()) {
            return flat;
        }
        if (!data.isObject()) {
            throw DomainError.invalid("payload.data must be an object");
        }
        flatten("", data, flat, 0);
        return flat;
    }

    private static void flatten(String prefix, JsonNode object, ObjectNode flat, int depth) {
        if (depth > 4) {
            throw DomainError.invalid("payload.data is nested too deeply");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key + ".", value, flat, depth + 1);
            } else if (value.isArray()) {
                flat.put(key, value.toString());
            } else if (!value.isNull()) {
                flat.set(key, value);
            }
        }
    }
}
