package io.hitkeep.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A test's HTTP client for one HitKeep server: JSON requests, the session cookie, stats. Not thread-safe. */
/**
 * The one HTTP client of the tests: a server's base address with an optional session cookie or API key,
 * JSON in and out, and the few steps every API test repeats (sign in, add a site, send a pageview, wait for
 * the stats). Immutable apart from the cookie a sign-in keeps. Not thread-safe.
 */
public final class HttpSession {
    public static final String FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    public static final String CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    public static final String SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

    /** An answer: status, the body as text and (when it is JSON) parsed, the headers by lower-case name. */
    public record Response(int status, JsonNode json, String body, Map<String, List<String>> headers) {
        /** The session cookie this answer set, or empty. */
        public String cookie() {
            for (String line : headers.getOrDefault("set-cookie", List.of())) {
                if (line.startsWith("hk_token=")) {
                    return line.substring("hk_token=".length(), line.indexOf(';'));
                }
            }
            return "";
        }

        /** The first value of a header, or empty. */
        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of("")).get(0);
        }

        /** An error answer as the API promises it: JSON with a message, no stack trace or exception name. */
        public void assertJsonError(int wanted) {
            if (status != wanted || json == null || !json.path("error").isTextual()
                    || body.contains("Exception") || body.contains("\tat ") || body.contains("io.hitkeep")) {
                throw new AssertionError("wanted a JSON error " + wanted + ", got " + status + " " + body);
            }
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private String cookie;
    private final String bearer;

    public HttpSession(int port) {
        this("http://127.0.0.1:" + port, "", "");
    }

    private HttpSession(String base, String cookie, String bearer) {
        this.base = base;
        this.cookie = cookie;
        this.bearer = bearer;
    }

    /** The same server, authenticated by an API key instead of a session. */
    public HttpSession withBearer(String key) {
        return new HttpSession(base, "", key);
    }

    /** The same server, without credentials. */
    public HttpSession anonymous() {
        return new HttpSession(base, "", "");
    }

    /** The server at {@code base} (e.g. {@code http://127.0.0.1:8080}), without credentials. */
    public HttpSession(String base) {
        this(base, "", "");
    }

    /** The same server with another session cookie (e.g. a forged one). */
    public HttpSession withCookie(String token) {
        return new HttpSession(base, token, "");
    }

    public Response send(String method, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        if (!cookie.isEmpty()) {
            request.header("Cookie", "hk_token=" + cookie);
        }
        if (!bearer.isEmpty()) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            String text = response.body();
            if (!text.isEmpty() && (text.startsWith("{") || text.startsWith("["))) {
                json = Json.tree(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return new Response(response.statusCode(), json, text, response.headers().map());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response json(String method, String path, Object body) {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Content-Type", "application/json"));
        if (!method.equals("GET")) {
            headers.put("Origin", base);
            headers.put("Sec-Fetch-Site", "same-origin");
        }
        return send(method, path, body == null ? null : Json.bytes(body), headers);
    }

    /** A file's bytes as the body ({@code POST /api/sites/{id}/imports}), from the server's own origin as the dashboard sends it. */
    public Response upload(String method, String path, byte[] body, String contentType) {
        return send(method, path, body, Map.of("Content-Type", contentType, "Origin", base, "Sec-Fetch-Site", "same-origin"));
    }

    public Response get(String path) {
        return send("GET", path, null, Map.of());
    }

    /** Creates the first user (or signs in when one exists) and keeps the session cookie. */
    public HttpSession signIn(String email, String password) {
        Response created = json("POST", "/api/initial-user", Map.of("email", email, "password", password));
        Response response = created.status() == 201 ? created
                : json("POST", "/api/login", Map.of("email", email, "password", password));
        if (response.status() / 100 != 2) {
            throw new AssertionError("sign-in failed: " + response.status() + " " + response.body());
        }
        return keepCookie(response);
    }

    /** Takes the session cookie a response set (sign-in, sign-up by invitation); fails without one. */
    public HttpSession keepCookie(Response response) {
        for (String line : response.headers().getOrDefault("set-cookie", List.of())) {
            if (line.startsWith("hk_token=")) {
                cookie = line.substring("hk_token=".length(), line.indexOf(';'));
            }
        }
        if (cookie.isEmpty()) {
            throw new AssertionError("no hk_token cookie");
        }
        return this;
    }

    public int createSite(String domain, String timezone) {
        Response response = json("POST", "/api/sites", Map.of("domain", domain, "name", domain, "timezone", timezone));
        if (response.status() != 201) {
            throw new AssertionError("create site: " + response.status() + " " + response.body());
        }
        return response.json().get("id").asInt();
    }

    /** A tracker pageview from a browser at {@code ip}. */
    public Response pageview(String userAgent, String ip, Map<String, Object> body) {
        return send("POST", "/ingest", Json.bytes(body), Map.of("Content-Type", "text/plain", "User-Agent", userAgent,
                "X-Forwarded-For", ip));
    }

    public Response event(String userAgent, String ip, Map<String, Object> body) {
        return send("POST", "/ingest/event", Json.bytes(body), Map.of("Content-Type", "text/plain",
                "User-Agent", userAgent, "X-Forwarded-For", ip));
    }

    public Response stats(int siteId, LocalDate from, LocalDate to, String... filters) {
        StringBuilder query = new StringBuilder("?from=" + from + "&to=" + to);
        for (String filter : filters) {
            query.append("&filter=").append(filter);
        }
        return get("/api/sites/" + siteId + "/stats" + query);
    }

    /** Polls the stats until the predicate holds (hits land asynchronously), at most 30 s. */
    public JsonNode awaitStats(int siteId, LocalDate day, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Response last;
        do {
            last = stats(siteId, day, day);
            if (last.status() == 200 && done.test(last.json())) {
                return last.json();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("stats never reached the expected state: " + last.status() + " " + last.body());
    }

    /** The values of a top list, e.g. {@code list(stats, "pages")} = ["/ 4", "/pricing 2"]. */
    public static List<String> list(JsonNode stats, String name) {
        List<String> values = new ArrayList<>();
        String count = name.equals("events") ? "count" : "pageviews";
        for (JsonNode row : stats.get(name)) {
            values.add(row.get("value").asText() + " " + row.get(count).asLong() + "/" + row.get("visitors").asLong());
        }
        return values;
    }
}
