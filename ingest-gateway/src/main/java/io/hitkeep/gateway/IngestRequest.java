package io.hitkeep.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Domains;
import io.hitkeep.core.Json;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * A hit as the client sent it, validated: the JSON body of {@code /ingest} or {@code /ingest/event}
 * plus what the gateway knows of the request (user agent, client address, privacy headers). Anything
 * malformed is a 400 here, before the pipeline. Immutable.
 *
 * @param userAgent raw user agent, used for enrichment and the visitor id, never stored
 * @param clientIp  client address, used for the visitor id (and country), never stored
 * @param clientHints the request's user-agent client hints, {@link ClientHints#NONE} when none were sent
 * @param siteKey   the site the hit is for (a site key: host without {@code www.}); the URL's host unless the sender
 *                  names its site otherwise (Plausible's {@code d}, Umami's website id)
 */
record IngestRequest(URI url,
                     String referrer,
                     String sessionId,
                     String language,
                     int viewportWidth,
                     Map<String, String> utm,
                     String eventName,
                     String propsJson,
                     long timestampMicros,
                     String userAgent,
                     String clientIp,
                     boolean doNotTrack,
                     ClientHints clientHints,
                     String siteKey) {

    static final int MAX_URL = 2048;
    static final int MAX_PROPS = 30;
    /** Tracker field to UTM parameter. */
    static final Map<String, String> UTM_FIELDS = Map.of("u_src", "utm_source", "u_med", "utm_medium",
            "u_cmp", "utm_campaign", "u_trm", "utm_term", "u_cnt", "utm_content");

    /** A request for the site of its URL's host. */
    IngestRequest(URI url, String referrer, String sessionId, String language, int viewportWidth, Map<String, String> utm,
                  String eventName, String propsJson, long timestampMicros, String userAgent, String clientIp,
                  boolean doNotTrack, ClientHints clientHints) {
        this(url, referrer, sessionId, language, viewportWidth, utm, eventName, propsJson, timestampMicros, userAgent,
                clientIp, doNotTrack, clientHints, Domains.siteKey(url.getHost()));
    }

    /** A request without client hints. */
    IngestRequest(URI url, String referrer, String sessionId, String language, int viewportWidth, Map<String, String> utm,
                  String eventName, String propsJson, long timestampMicros, String userAgent, String clientIp,
                  boolean doNotTrack) {
        this(url, referrer, sessionId, language, viewportWidth, utm, eventName, propsJson, timestampMicros, userAgent,
                clientIp, doNotTrack, ClientHints.NONE);
    }

    /** Reads a tracker body without client hints. */
    static IngestRequest parse(JsonNode body, boolean event, long timestampMicros, String userAgent, String clientIp,
                               boolean doNotTrack) {
        return parse(body, event, timestampMicros, userAgent, clientIp, doNotTrack, ClientHints.NONE);
    }

    /** Reads a tracker body; {@code event} says whether a {@code name} is required. */
    static IngestRequest parse(JsonNode body, boolean event, long timestampMicros, String userAgent, String clientIp,
                               boolean doNotTrack, ClientHints clientHints) {
        URI url = url(Json.text(body, "url"));
        String name = "";
        String props = "";
        if (event) {
            name = eventName(Json.text(body, "name"));
            props = props(body.get("props"));
        }
        Map<String, String> utm = new java.util.HashMap<>();
        UTM_FIELDS.forEach((field, parameter) -> {
            String value = Json.text(body, field).strip();
            if (!value.isEmpty()) {
                utm.put(parameter, cap(value, 256));
            }
        });
        JsonNode width = body.get("vp_w");
        return new IngestRequest(url, cap(Json.text(body, "referrer").strip(), MAX_URL),
                cap(Json.text(body, "session_id").strip(), 128), cap(Json.text(body, "lang").strip(), 35),
                width != null && width.canConvertToInt() ? Math.max(0, Math.min(width.asInt(), 100_000)) : 0,
                Map.copyOf(utm), name, props, timestampMicros, userAgent, clientIp, doNotTrack, clientHints);
    }

    /**
     * A browser's hit as another tool's tracker describes it ({@link PlausibleEvents}, {@link UmamiEvents},
     * {@link GoatCounterCounts}): no session id of its own and no UTM fields (the URL's query has them).
     */
    static IngestRequest fromBrowser(BrowserVisitor visitor, String siteKey, URI url, String referrer, String language,
                                     int viewportWidth, String eventName, String propsJson) {
        return new IngestRequest(url, cap(referrer.strip(), MAX_URL), "", cap(language.strip(), 35),
                Math.max(0, Math.min(viewportWidth, 100_000)), Map.of(), eventName, propsJson, visitor.timestampMicros(),
                visitor.userAgent(), visitor.clientIp(), visitor.doNotTrack(), visitor.clientHints(), siteKey);
    }

    /** An event name as every endpoint takes it: required, at most 120 characters. */
    static String eventName(String text) {
        String name = text.strip();
        if (name.isEmpty()) {
            throw DomainError.invalid("name is required for an event");
        }
        if (name.length() > 120) {
            throw DomainError.invalid("name is longer than 120 characters");
        }
        return name;
    }

    /** An absolute http(s) URL of at most {@link #MAX_URL} characters, else a 400 that says so. */
    static URI url(String text) {
        if (text.isEmpty()) {
            throw DomainError.invalid("url is required");
        }
        if (text.length() > MAX_URL) {
            throw DomainError.invalid("url is longer than " + MAX_URL + " characters");
        }
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw DomainError.invalid("url must be an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw DomainError.invalid("url is not a valid URL");
        }
    }

    /** Event properties: a flat object of strings, numbers and booleans, as compact JSON. */
    static String props(JsonNode props) {
        if (props == null || props.isNull()) {
            return "";
        }
        if (!props.isObject()) {
            throw DomainError.invalid("props must be an object");
        }
        if (props.size() > MAX_PROPS) {
            throw DomainError.invalid("props has more than " + MAX_PROPS + " entries");
        }
        var clean = Json.object();
        for (Iterator<Map.Entry<String, JsonNode>> fields = props.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (field.getKey().isEmpty() || field.getKey().length() > 64) {
                throw DomainError.invalid("prop names must be 1 to 64 characters");
            }
            if (value.isTextual()) {
                clean.put(field.getKey(), cap(value.asText(), 256));
            } else if (value.isNumber() || value.isBoolean()) {
                clean.set(field.getKey(), value);
            } else {
                throw DomainError.invalid("prop '" + field.getKey() + "' must be a string, number or boolean");
            }
        }
        return clean.isEmpty() ? "" : clean.toString();
    }

    static String cap(String value, int length) {
        return value.length() <= length ? value : value.substring(0, length);
    }
}
