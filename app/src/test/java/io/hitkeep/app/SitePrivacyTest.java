package io.hitkeep.app;

import io.hitkeep.testing.HttpSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.hitkeep.testing.HttpSession.CHROME_WINDOWS;
import static io.hitkeep.testing.HttpSession.FIREFOX_LINUX;
import static io.hitkeep.testing.HttpSession.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-site privacy settings end to end: {@code PATCH /api/sites/{id}} reaches the gateways through the
 * site registry, and hits from excluded addresses, on excluded paths, or with Do Not Track are not counted
 * while the others are. Also a country and client hints, through the whole spine.
 */
class SitePrivacyTest {
    @RegisterExtension
    static final SingleBinary SERVER = new SingleBinary();
    private final HttpSession owner = SERVER.owner();
    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
    private static int probes;



    private static Map<String, Object> page(String url) {
        return new HashMap<>(Map.of("url", url));
    }

    private void accepted(HttpSession.Response response) {
        assertEquals(202, response.status(), response.body());
    }

    private long pageviews(int site, String... filters) {
        HttpSession.Response response = owner.stats(site, today, today, filters);
        assertEquals(200, response.status(), response.body());
        return response.json().get("summary").get("pageviews").asLong();
    }

    private HttpSession.Response patch(int site, Map<String, Object> changes) {
        return owner.json("PATCH", "/api/sites/" + site, changes);
    }

    /**
     * Waits until the gateway applies the site's latest settings: the registry is watched asynchronously.
     * Each round sends a hit to an excluded probe path, then a marker hit; once the marker is counted, the
     * probe before it was judged too, and a probe not counted means the settings (which all exclude
     * {@code /probe-*}) had arrived. Later hits go through the same registry, so they see them as well.
     */
    private void awaitSettings(int site) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            int round = ++probes;
            accepted(owner.pageview(FIREFOX_LINUX, "203.0.113.200", page("https://privacy.example/probe-" + round)));
            accepted(owner.pageview(FIREFOX_LINUX, "203.0.113.200", page("https://privacy.example/marker-" + round)));
            while (pageviews(site, "page:/marker-" + round) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("marker " + round + " was never counted");
                }
                pause();
            }
            if (pageviews(site, "page:/probe-" + round) == 0) {
                return;
            }
        }
        throw new AssertionError("the gateway never saw the site's settings");
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void excludedAddressesPathsAndDoNotTrackAreNotCounted() {
        int site = owner.createSite("privacy.example", "UTC");
        JsonNode created = owner.get("/api/sites/" + site).json();
        assertEquals("", created.get("excluded_ips").asText());
        assertEquals("", created.get("excluded_paths").asText());
        assertTrue(created.get("honour_dnt").asBoolean(), "DNT is honoured unless the owner says otherwise");

        HttpSession.Response patched = patch(site, Map.of("excluded_ips", "198.51.100.0/24, 2001:db8::/32",
                "excluded_paths", "/admin/*, /probe-*"));
        assertEquals(200, patched.status(), patched.body());
        assertEquals("198.51.100.0/24,2001:db8::/32", patched.json().get("excluded_ips").asText());
        assertEquals("/admin/*,/probe-*", patched.json().get("excluded_paths").asText());
        assertTrue(patched.json().get("honour_dnt").asBoolean(), "a field left out keeps its value");
        awaitSettings(site);

        accepted(owner.pageview(FIREFOX_LINUX, "203.0.113.10", page("https://privacy.example/")));
        accepted(owner.pageview(FIREFOX_LINUX, "198.51.100.50", page("https://privacy.example/")));
        accepted(owner.pageview(FIREFOX_LINUX, "2001:db8::99", page("https://privacy.example/")));
        accepted(owner.pageview(FIREFOX_LINUX, "203.0.113.11", page("https://privacy.example/admin/users")));
        accepted(owner.send("POST", "/ingest", Json.bytes(page("https://privacy.example/")),
                Map.of("User-Agent", FIREFOX_LINUX, "DNT", "1", "X-Forwarded-For", "203.0.113.12")));
        accepted(owner.send("POST", "/ingest", Json.bytes(page("https://privacy.example/")),
                Map.of("User-Agent", FIREFOX_LINUX, "Sec-GPC", "1", "X-Forwarded-For", "203.0.113.12")));
        // Google's public resolver: the bundled table puts it in the US (IngestPipelineTest.country)
        accepted(owner.pageview(CHROME_WINDOWS, "8.8.8.8", page("https://privacy.example/")));
        // Brave sends Chrome's string; only its client hints name it (in the format of MDN's Sec-CH-UA examples)
        accepted(owner.send("POST", "/ingest", Json.bytes(page("https://privacy.example/brave")), Map.of(
                "User-Agent", CHROME_WINDOWS, "X-Forwarded-For", "203.0.113.14",
                "Sec-CH-UA", "\"Chromium\";v=\"124\", \"Brave\";v=\"124\", \"Not-A.Brand\";v=\"99\"",
                "Sec-CH-UA-Mobile", "?0", "Sec-CH-UA-Platform", "\"Windows\"", "Sec-CH-UA-Platform-Version", "\"15.0.0\"")));

        // now DNT is the owner's call
        HttpSession.Response dntOff = patch(site, Map.of("honour_dnt", false));
        assertEquals(200, dntOff.status(), dntOff.body());
        assertEquals("198.51.100.0/24,2001:db8::/32", dntOff.json().get("excluded_ips").asText());
        awaitSettings(site);
        accepted(owner.send("POST", "/ingest", Json.bytes(page("https://privacy.example/pricing")),
                Map.of("User-Agent", FIREFOX_LINUX, "DNT", "1", "X-Forwarded-For", "203.0.113.13")));
        accepted(owner.pageview(FIREFOX_LINUX, "198.51.100.51", page("https://privacy.example/pricing")));

        JsonNode pricing = owner.awaitStats(site, today, s -> pageviews(site, "page:/pricing") >= 1);
        assertTrue(pricing.has("summary"));
        assertEquals(1, pageviews(site, "page:/pricing"), "DNT counted once the site stops honouring it; excluded IP still not");
        assertEquals(2, pageviews(site, "page:/"), "203.0.113.10 and 8.8.8.8; excluded addresses and DNT/GPC not");
        assertEquals(0, pageviews(site, "page:/admin/users"));
        assertEquals(1, pageviews(site, "page:/brave"));
        JsonNode home = owner.stats(site, today, today, "page:/").json();
        assertEquals(List.of("US 1/1"), list(home, "countries"));
        JsonNode brave = owner.stats(site, today, today, "page:/brave").json();
        assertEquals(List.of("Brave 1/1"), list(brave, "browsers"));
        assertEquals(List.of("Brave 124 1/1"), list(brave, "browser_versions"));
        assertEquals(List.of("Windows 11 1/1"), list(brave, "os_versions"));
    }

    @Test
    void badSettingsAreRefused() {
        int site = owner.createSite("strict.example", "UTC");

        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("excluded_ips", "10.0.0.0/33"),
                Map.of("excluded_ips", "office.example.com"),
                Map.of("excluded_paths", "admin/*"),
                Map.of("excluded_paths", "/a b"),
                Map.of("excluded_ips", 10),
                Map.of("honour_dnt", "no"))) {
            HttpSession.Response response = patch(site, bad);
            assertEquals(400, response.status(), bad + ": " + response.body());
            assertTrue(response.json().get("error").asText().length() > 0, response.body());
        }
        assertEquals("", owner.get("/api/sites/" + site).json().get("excluded_ips").asText(), "nothing was changed");
        assertEquals(404, patch(99_999, Map.of("honour_dnt", false)).status());
        assertEquals(401, owner.anonymous().json("PATCH", "/api/sites/" + site, Map.of("honour_dnt", false)).status());
    }
}
