package io.hitkeep.gateway;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.tracker.TrackerScript;

/**
 * {@code GET /hk.js}: the minified tracker from the {@code tracker} module, with its content hash as a
 * strong ETag, a day of public caching (a new release changes the ETag, so a day old copy is the worst
 * case) and CORS for any origin. Mounted by the single binary and by the gateway's own {@code Main}.
 * Thread-safe.
 */
public final class TrackerRoutes implements HttpFeature {
    private final TrackerScript script;
    private final byte[] bytes;

    public TrackerRoutes() {
        this(TrackerScript.built());
    }

    TrackerRoutes(TrackerScript script) {
        this.script = script;
        this.bytes = script.bytes();
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        routing.get("/hk.js", this::script);
    }

    private void script(ServerRequest request, ServerResponse response) {
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        response.header(HeaderNames.ETAG, script.etag());
        response.header(HeaderNames.CACHE_CONTROL, "public, max-age=86400");
        response.header(HeaderNames.VARY, "Accept-Encoding");
        boolean unchanged = request.headers().first(HeaderNames.IF_NONE_MATCH)
                .map(this::matches)
                .orElse(false);
        if (unchanged) {
            response.status(304).send();
            return;
        }
        response.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/javascript; charset=utf-8"));
        response.send(bytes);
    }

    /** If-None-Match is a list of tags, weak ones included (a compressing proxy weakens ours), or "*". */
    private boolean matches(String ifNoneMatch) {
        for (String tag : ifNoneMatch.split(",")) {
            String candidate = tag.strip();
            if (candidate.startsWith("W/")) {
                candidate = candidate.substring(2);
            }
            if (candidate.equals("*") || candidate.equals(script.etag())) {
                return true;
            }
        }
        return false;
    }
}
