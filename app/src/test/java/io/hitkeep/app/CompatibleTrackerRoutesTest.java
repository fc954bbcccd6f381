package io.hitkeep.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.Json;
import io.hitkeep.testing.HttpSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.hitkeep.testing.HttpSession.CHROME_WINDOWS;
import static io.hitkeep.testing.HttpSession.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Other tools' tracker endpoints in the single binary: Plausible's {@code /api/event}, Umami's
 * {@code /api/send} and GoatCounter's {@code /count} take hits without a session while every other
 * {@code /api} path stays closed, share the ingest rate limit, and what they accept reaches the stats API;
 * a site's Umami website id and GoatCounter code are set through {@code PATCH /api/sites/{id}}. (The fixtures of each tool's
 * requests are the gateway's {@code CompatibleTrackersTest}; the real scripts run in {@code browser-tests}.)
 */
class CompatibleTrackerRoutesTest {
    /** A small ingest limit, so the test can reach it; every other request comes from an address of its own. */
    @RegisterExtension
    static final SingleBinary SERVER = new SingleBinary(Map.of("ingest-rate-limit", "5"));
    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);
    private final HttpSession owner = SERVER.owner();
    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

    private static Map<String, String> browser(String contentType) {
        return Map.of("Content-Type", contentType, "User-Agent", CHROME_WINDOWS,
                "X-Forwarded-For", "198.51.100." + ADDRESSES.incrementAndGet());
    }

    private HttpSession.Response plausible(Object body) {
        return owner.anonymous().send("POST", "/api/event", Json.bytes(body), browser("text/plain"));
    }

    private HttpSession.Response umami(Object body) {
        return owner.anonymous().send("POST", "/api/send", Json.bytes(body), browser("application/json"));
    }

    @Test
    void theirEndpointsTakeHitsWithoutASessionAndNothingBesideThemOpens() {
        HttpSession anonymous = owner.anonymous();
        HttpSession.Response plausible = plausible(Map.of("n", "pageview", "u", "https://nobody.example/", "d", "nobody.example"));
        assertEquals(202, plausible.status(), plausible.body());
        assertEquals("ok", plausible.body());
        HttpSession.Response umami = umami(Map.of("type", "event", "payload", Map.of("website",
                "0f9a3c52-7d41-4e6b-8a2c-9b1d0e3f4a5b", "hostname", "nobody.example", "url", "/")));
        assertEquals(200, umami.status(), umami.body());
        assertEquals(Json.object().put("ok", true), umami.json());
        HttpSession.Response goatCounter = anonymous.send("GET", "/count?p=/", null,
                Map.of("Referer", "https://nobody.example/", "X-Forwarded-For", "198.51.100." + ADDRESSES.incrementAndGet()));
        assertEquals(200, goatCounter.status(), goatCounter.body());
        assertEquals("image/gif", goatCounter.header("Content-Type"));
        HttpSession.Response preflight = anonymous.send("OPTIONS", "/api/send", null, Map.of("Origin", "https://nobody.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,x-umami-cache",
                "X-Forwarded-For", "198.51.100." + ADDRESSES.incrementAndGet()));
        assertEquals(204, preflight.status(), preflight.body());
        assertEquals("Content-Type, x-umami-cache", preflight.header("Access-Control-Allow-Headers"));

        // exact paths only: their neighbours, sub-paths and other spellings stay behind the guard
        for (String path : List.of("/api/events", "/api/event/", "/api/event/1", "/api/eventx", "/api/Event", "/api/send/",
                "/api/send/1", "/api/sends", "/api/count", "/api/ingest/server/pageview", "/api/sites")) {
            for (String method : List.of("GET", "POST", "DELETE")) {
                HttpSession.Response refused = anonymous.send(method, path, "{}".getBytes(StandardCharsets.UTF_8),
                        Map.of("Content-Type", "application/json", "X-Forwarded-For", "198.51.100." + ADDRESSES.incrementAndGet()));
                assertEquals(401, refused.status(), method + " " + path + ": " + refused.body());
            }
        }
    }

    @Test
    void malformedRequestsAreJsonErrorsNeverServerErrors() {
        HttpSession anonymous = owner.anonymous();
        for (HttpSession.Response bad : List.of(
                anonymous.send("GET", "/count?p=%2F&b=abc", null, Map.of("Referer", "https://example.com/")),
                anonymous.send("POST", "/api/event", "{\"n\":".getBytes(StandardCharsets.UTF_8), browser("text/plain")),
                anonymous.send("POST", "/api/send", "[]".getBytes(StandardCharsets.UTF_8), browser("application/json")),
                umami(Map.of("type", "event", "payload", Map.of("website", "x", "url", "/"))))) {
            assertEquals(400, bad.status(), bad.body());
            bad.assertJsonError(400);
        }
        // a body over 64 KiB is the 413 of HttpJson.body, as on /ingest (BadInputTest); not repeated here, since the
        // server closes such a connection before reading the rest and a client still sending may miss the answer
    }

    @Test
    void theyShareTheIngestRateLimit() {
        HttpSession anonymous = owner.anonymous();
        Map<String, String> oneAddress = Map.of("Referer", "https://nobody.example/", "X-Forwarded-For", "203.0.113.77",
                "Content-Type", "text/plain", "User-Agent", CHROME_WINDOWS);
        byte[] event = Json.bytes(Map.of("n", "pageview", "u", "https://nobody.example/", "d", "nobody.example"));
        int limited = 0;
        for (int i = 0; i < 8; i++) {
            HttpSession.Response answer = i % 2 == 0 ? anonymous.send("GET", "/count?p=/", null, oneAddress)
                    : anonymous.send("POST", "/api/event", event, oneAddress);
            if (answer.status() == 429) {
                limited++;
                assertEquals("*", answer.header("Access-Control-Allow-Origin"), "a page's script may read the 429");
                assertTrue(answer.header("Retry-After") != null, answer.headers().toString());
            }
        }
        assertEquals(3, limited, "five at once, then refused");
    }

    @Test
    void eachToolsHitsReachTheStatsAndTheUmamiWebsiteIdMapsItsSite() throws InterruptedException {
        int site = owner.createSite("compat.example", "UTC");
        String path = "/api/sites/" + site;
        for (Object bad : List.of("compat", "6a1e8f5c0b2d4c3e9f4a5b6c7d8e9f01", 42, true)) {
            HttpSession.Response refused = owner.json("PATCH", path, Map.of("umami_website_id", bad));
            assertEquals(400, refused.status(), bad + ": " + refused.body());
            assertTrue(refused.json().get("error").asText().startsWith("umami_website_id"), refused.body());
        }
        HttpSession.Response set = owner.json("PATCH", path, Map.of("umami_website_id", "6A1E8F5C-0B2D-4C3E-9F4A-5B6C7D8E9F01"));
        assertEquals(200, set.status(), set.body());
        assertEquals("6a1e8f5c-0b2d-4c3e-9f4a-5b6c7d8e9f01", set.json().get("umami_website_id").asText(), "stored in lower case");
        assertEquals("6a1e8f5c-0b2d-4c3e-9f4a-5b6c7d8e9f01", owner.get(path).json().get("umami_website_id").asText());
        int other = owner.createSite("compat-other.example", "UTC");
        assertEquals(409, owner.json("PATCH", "/api/sites/" + other, Map.of("umami_website_id", "6a1e8f5c-0b2d-4c3e-9f4a-5b6c7d8e9f01"))
                .status(), "one site per Umami website");

        // the gateway learns the id through the site registry: send until a shop.compat.example page (no site of
        // its own, so only the id can count it) arrives
        Map<String, Object> umamiPage = Map.of("type", "event", "payload", Map.of("website", "6a1e8f5c-0b2d-4c3e-9f4a-5b6c7d8e9f01",
                "hostname", "shop.compat.example", "url", "/cart", "screen", "1280x720", "language", "de-DE"));
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode stats = owner.stats(site, today, today).json();
        while (stats.get("summary").get("pageviews").asLong() == 0 && System.nanoTime() < deadline) {
            assertEquals(200, umami(umamiPage).status());
            Thread.sleep(200);
            stats = owner.stats(site, today, today).json();
        }
        assertTrue(stats.get("summary").get("pageviews").asLong() > 0, "the Umami website id counts the page for its site");
        long umamiPageviews = stats.get("summary").get("pageviews").asLong();

        assertEquals(200, umami(Map.of("type", "event", "payload", Map.of("website", "6a1e8f5c-0b2d-4c3e-9f4a-5b6c7d8e9f01",
                "hostname", "compat.example", "url", "/cart", "name", "Checkout", "data", Map.of("plan", "pro")))).status());
        assertEquals(202, plausible(Map.of("n", "pageview", "u", "https://compat.example/pricing", "d", "compat.example",
                "r", "https://news.ycombinator.com/")).status());
        assertEquals(202, plausible(Map.of("n", "Signup", "u", "https://compat.example/pricing", "d", "compat.example",
                "p", Map.of("plan", "team"))).status());
        assertEquals(200, owner.anonymous().send("GET", "/count?p=%2Fabout&s=1280%2C720%2C1&rnd=x1", null,
                Map.of("Referer", "https://compat.example/", "User-Agent", CHROME_WINDOWS,
                        "X-Forwarded-For", "198.51.100." + ADDRESSES.incrementAndGet())).status());
        assertEquals(200, owner.anonymous().send("GET", "/count?p=newsletter-signup&e=true", null,
                Map.of("Referer", "https://compat.example/about", "User-Agent", CHROME_WINDOWS,
                        "X-Forwarded-For", "198.51.100." + ADDRESSES.incrementAndGet())).status());

        JsonNode all = owner.awaitStats(site, today, current -> current.get("summary").get("pageviews").asLong() == umamiPageviews + 2
                && current.get("events").size() == 3);
        List<String> pages = list(all, "pages");
        assertTrue(pages.contains("/pricing 1/1") && pages.stream().anyMatch(row -> row.startsWith("/about 1/")), pages.toString());
        assertTrue(pages.stream().anyMatch(row -> row.startsWith("/cart " + umamiPageviews + "/")), pages.toString());
        List<String> events = list(all, "events");
        for (String event : List.of("Checkout 1/1", "Signup 1/1", "newsletter-signup 1/1")) {
            assertTrue(events.contains(event), events.toString());
        }
        assertTrue(list(all, "referrers").stream().anyMatch(row -> row.startsWith("news.ycombinator.com ")), all.get("referrers").toString());
    }

    @Test
    void aGoatCounterCodeIsValidatedTakenByOneSiteAndCountsItsHostsHitsWithoutAReferer() throws InterruptedException {
        int site = owner.createSite("goat-compat.example", "UTC");
        String path = "/api/sites/" + site;
        for (Object bad : List.of("g", "my blog", "under_score", "dots.not", "-blog", "blog-", "x".repeat(51), 42, true)) {
            HttpSession.Response refused = owner.json("PATCH", path, Map.of("goatcounter_code", bad));
            assertEquals(400, refused.status(), bad + ": " + refused.body());
            assertTrue(refused.json().get("error").asText().startsWith("goatcounter_code"), refused.body());
        }
        HttpSession.Response set = owner.json("PATCH", path, Map.of("goatcounter_code", "Goat-Compat"));
        assertEquals(200, set.status(), set.body());
        assertEquals("goat-compat", set.json().get("goatcounter_code").asText(), "stored in lower case: it is a host label");
        assertEquals("goat-compat", owner.get(path).json().get("goatcounter_code").asText());
        int other = owner.createSite("goat-other.example", "UTC");
        String otherPath = "/api/sites/" + other;
        HttpSession.Response taken = owner.json("PATCH", otherPath, Map.of("goatcounter_code", "goat-compat"));
        assertEquals(409, taken.status(), "one site per code: " + taken.body());
        assertTrue(taken.json().get("error").asText().startsWith("goatcounter_code"), taken.body());

        // the pixel on goat-compat.stats.test, a page that sends no Referer: only the code can name the site
        awaitCountedByCode("goat-compat", site);
        assertEquals(1, list(owner.stats(site, today, today).json(), "pages").stream().filter(row -> row.startsWith("/from-code ")).count(),
                "the page is the site's domain and p");

        HttpSession.Response cleared = owner.json("PATCH", path, Map.of("goatcounter_code", ""));
        assertEquals(200, cleared.status(), cleared.body());
        assertEquals("", cleared.json().get("goatcounter_code").asText());
        assertEquals(200, owner.json("PATCH", otherPath, Map.of("goatcounter_code", "goat-compat")).status(), "free again once cleared");
        awaitCountedByCode("goat-compat", other);
    }

    /** Sends GoatCounter's pixel to the code's host, without Referer or Origin, until the site has a pageview. */
    private void awaitCountedByCode(String code, int site) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode stats = owner.stats(site, today, today).json();
        while (stats.get("summary").get("pageviews").asLong() == 0 && System.nanoTime() < deadline) {
            HttpSession.Response pixel = owner.anonymous().send("GET", "/count?p=%2Ffrom-code", null, Map.of("Host", code + ".stats.test",
                    "User-Agent", CHROME_WINDOWS, "X-Forwarded-For", "198.51.100." + ADDRESSES.incrementAndGet()));
            assertEquals(200, pixel.status(), pixel.body());
            assertEquals("image/gif", pixel.header("Content-Type"));
            Thread.sleep(200);
            stats = owner.stats(site, today, today).json();
        }
        assertTrue(stats.get("summary").get("pageviews").asLong() > 0, "the code's host counts for site " + site);
    }
}
