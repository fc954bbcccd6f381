package io.hitkeep.app;

import io.hitkeep.core.Json;
import io.hitkeep.testing.HttpSession;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static io.hitkeep.testing.HttpSession.CHROME_WINDOWS;
import static io.hitkeep.testing.HttpSession.FIREFOX_LINUX;
import static io.hitkeep.testing.HttpSession.SAFARI_IPHONE;
import static io.hitkeep.testing.HttpSession.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spine end to end in one JVM, as the single binary runs: a real nats-server, a real DuckDB file,
 * hits posted over HTTP and read back from the stats API with exact numbers.
 */
class SpineTest {
    @RegisterExtension
    static final SingleBinary SERVER = new SingleBinary();
    private final HttpSession owner = SERVER.owner();



    private static Map<String, Object> page(String url, Object... more) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("url", url));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    private void accepted(HttpSession.Response response) {
        assertEquals(202, response.status(), response.body());
    }

    @Test
    void pageviewsAndEventsComeBackExactlyFromTheStats() {
        int site = owner.createSite("example.com", "UTC");
        int other = owner.createSite("other.org", "UTC");
        // visitor 1: three pages in one session (no tracker session id: the writer derives it)
        accepted(owner.pageview(FIREFOX_LINUX, "198.51.100.1", page("https://example.com/")));
        accepted(owner.pageview(FIREFOX_LINUX, "198.51.100.1", page("https://example.com/pricing", "referrer", "https://example.com/")));
        accepted(owner.pageview(FIREFOX_LINUX, "198.51.100.1", page("https://example.com/docs")));
        accepted(owner.event(FIREFOX_LINUX, "198.51.100.1", page("https://example.com/docs", "name", "signup",
                "props", Map.of("plan", "pro"))));
        // visitor 2: one page from Hacker News, a bounce
        accepted(owner.pageview(CHROME_WINDOWS, "198.51.100.2", page("https://www.example.com/",
                "referrer", "https://news.ycombinator.com/item?id=1")));
        // visitor 3: two pages with the tracker's session id, from a newsletter
        accepted(owner.pageview(SAFARI_IPHONE, "198.51.100.3", page("https://example.com/pricing?utm_source=newsletter&utm_medium=email",
                "session_id", "s-1", "lang", "de-AT")));
        accepted(owner.pageview(SAFARI_IPHONE, "198.51.100.3", page("https://example.com/docs/", "session_id", "s-1", "lang", "de-AT")));
        accepted(owner.event(SAFARI_IPHONE, "198.51.100.3", page("https://example.com/docs/", "name", "signup", "session_id", "s-1")));
        // visitor 4: two sessions of one page each
        accepted(owner.pageview(FIREFOX_LINUX, "198.51.100.4", page("https://example.com/", "session_id", "a")));
        accepted(owner.pageview(FIREFOX_LINUX, "198.51.100.4", page("https://example.com/", "session_id", "b")));
        // dropped quietly: do-not-track, a bot, an unknown site
        accepted(owner.send("POST", "/ingest", io.hitkeep.core.Json.bytes(page("https://example.com/")),
                Map.of("User-Agent", FIREFOX_LINUX, "DNT", "1", "X-Forwarded-For", "198.51.100.9")));
        accepted(owner.pageview("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "66.249.66.1",
                page("https://example.com/")));
        accepted(owner.pageview(FIREFOX_LINUX, "198.51.100.5", page("https://unknown.example/")));
        // the other site, named with www.
        for (int i = 0; i < 5; i++) {
            accepted(owner.pageview(CHROME_WINDOWS, "192.0.2.1", page("https://www.other.org/x")));
        }

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode stats = owner.awaitStats(site, today, s -> s.get("summary").get("pageviews").asLong() >= 8
                && s.get("events").size() > 0 && s.get("events").get(0).get("count").asLong() >= 2);
        JsonNode summary = stats.get("summary");
        assertEquals(8, summary.get("pageviews").asLong());
        assertEquals(4, summary.get("visitors").asLong());
        assertEquals(5, summary.get("sessions").asLong());
        assertEquals(60.0, summary.get("bounce_rate").asDouble(), "3 of 5 sessions saw one page");
        assertEquals(1.6, summary.get("pages_per_session").asDouble());
        assertEquals(4, summary.get("live_visitors").asLong());
        JsonNode cards = owner.get("/api/sites/" + site + "/stats?from=" + today + "&to=" + today + "&parts=summary,chart").json();
        assertEquals(summary, cards.get("summary"), "the same numbers, asked for alone");
        assertEquals(stats.get("chart"), cards.get("chart"));
        assertFalse(cards.has("pages") || cards.has("events"), "nothing else: " + cards.fieldNames().next());
        assertEquals(4, owner.get("/api/sites/" + site + "/live").json().get("live_visitors").asLong(), "the cheap live endpoint agrees");
        assertEquals(List.of("/ 4/3", "/docs 2/2", "/pricing 2/2"), list(stats, "pages"));
        assertEquals(List.of("/ 4/3", "/pricing 1/1"), list(stats, "entry_pages"));
        assertEquals(List.of("/ 3/2", "/docs 2/2"), list(stats, "exit_pages"));
        assertEquals(List.of("news.ycombinator.com 1/1"), list(stats, "referrers"));
        assertEquals(List.of("Hacker News 1/1", "newsletter 1/1"), list(stats, "sources"));
        assertEquals(List.of("newsletter 1/1"), list(stats, "utm_sources"));
        assertEquals(List.of("email 1/1"), list(stats, "utm_mediums"));
        assertEquals(List.of("Firefox 5/2", "Safari 2/1", "Chrome 1/1"), list(stats, "browsers"));
        assertEquals(List.of("Linux 5/2", "iOS 2/1", "Windows 1/1"), list(stats, "os"));
        assertEquals(List.of("desktop 6/3", "mobile 2/1"), list(stats, "devices"));
        assertEquals(List.of("de 2/1"), list(stats, "languages"));
        assertEquals(List.of("signup 2/2"), list(stats, "events"));
        JsonNode props = stats.get("event_props");
        assertEquals(1, props.size(), "only the first signup carried props: " + props);
        assertEquals("signup", props.get(0).get("event").asText());
        assertEquals("plan", props.get(0).get("key").asText());
        assertEquals("pro", props.get(0).get("value").asText());
        assertEquals(1, props.get(0).get("count").asLong());
        assertEquals(List.of("Firefox 128 5/2", "Safari 17 2/1", "Chrome 131 1/1"), list(stats, "browser_versions"));
        assertEquals(List.of("iOS 17.5 2/1", "Windows 10 1/1"), list(stats, "os_versions"), "Linux strings carry no version");
        assertEquals(List.of("social 1/1"), list(stats, "mediums"), "Hacker News; a referrer from the site itself has none");
        assertTrue(stats.get("countries").isEmpty(), "documentation and loopback addresses have no country");

        JsonNode chart = stats.get("chart");
        assertEquals(24, chart.size(), "one day is charted by the hour");
        String hour = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:00"));
        long inThisHour = 0;
        long total = 0;
        for (JsonNode bucket : chart) {
            total += bucket.get("pageviews").asLong();
            if (bucket.get("t").asText().equals(hour)) {
                inThisHour = bucket.get("pageviews").asLong();
            }
        }
        assertEquals(8, total);
        // a hit posted just before the hour turned may sit in the previous bucket
        assertTrue(inThisHour >= 1, "the current hour's bucket holds the hits: " + chart);

        assertEquals(0, pageviews(site, today, "page:/pricing", "page:/docs"), "two values of one dimension: none");
        assertEquals(2, pageviews(site, today, "page:/pricing"));
        assertEquals(5, pageviews(site, today, "browser:Firefox"));
        assertEquals(2, pageviews(site, today, "os:iOS"));
        assertEquals(2, pageviews(site, today, "device:mobile"));
        assertEquals(1, pageviews(site, today, "source:Hacker%20News"), "encoded: HttpSession does not encode filters");
        assertEquals(1, pageviews(site, today, "referrer:news.ycombinator.com"));
        assertEquals(1, pageviews(site, today, "utm_source:newsletter"));
        assertEquals(0, pageviews(site, today, "country:DE"));
        assertEquals(5, pageviews(site, today, "event:signup"), "the sessions of visitors 1 and 3");
        assertEquals(3, pageviews(site, today, "browser:Firefox", "page:/"), "filters combine");
        assertEquals(1, pageviews(site, today, "medium:social"));
        assertEquals(5, pageviews(site, today, "browser_version:Firefox%20128"), "the value the list shows");
        assertEquals(2, pageviews(site, today, "os_version:iOS%2017.5"));
        assertEquals(0, pageviews(site, today, "browser_version:Firefox%20127"));

        JsonNode otherStats = owner.awaitStats(other, today, s -> s.get("summary").get("pageviews").asLong() >= 5);
        assertEquals(5, otherStats.get("summary").get("pageviews").asLong());
        assertEquals(1, otherStats.get("summary").get("visitors").asLong());
        assertEquals(List.of("/x 5/1"), list(otherStats, "pages"));
        // yesterday holds nothing
        assertEquals(0, owner.stats(site, today.minusDays(1), today.minusDays(1)).json().get("summary").get("pageviews").asLong());
    }

    private JsonNode filtered(int site, LocalDate day, String... filters) {
        HttpSession.Response response = owner.stats(site, day, day, filters);
        assertEquals(200, response.status(), response.body());
        return response.json().get("summary");
    }

    private long pageviews(int site, LocalDate day, String... filters) {
        return filtered(site, day, filters).get("pageviews").asLong();
    }

    /** An engagement ping ends its session later than its pageview: a one-page visit gets a duration. */
    @Test
    void engagementPingsGiveOnePageVisitsADuration() throws InterruptedException {
        int site = owner.createSite("engaged.example", "UTC");
        accepted(owner.pageview(FIREFOX_LINUX, "198.51.100.30", page("https://engaged.example/article", "session_id", "e-1")));
        accepted(owner.pageview(CHROME_WINDOWS, "198.51.100.31", page("https://engaged.example/", "session_id", "e-2")));
        // the ping's arrival time ends the session; wait so that the difference is measurable
        Thread.sleep(1_100);
        accepted(owner.send("POST", "/ingest/engagement", io.hitkeep.core.Json.bytes(page("https://engaged.example/article",
                "session_id", "e-1", "engaged_ms", 1_100)), Map.of("User-Agent", FIREFOX_LINUX, "X-Forwarded-For", "198.51.100.30")));

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode stats = owner.awaitStats(site, today, s -> s.get("summary").get("avg_session_duration").asDouble() > 0);
        JsonNode summary = stats.get("summary");
        assertEquals(2, summary.get("pageviews").asLong(), "a ping is no pageview");
        assertEquals(2, summary.get("sessions").asLong());
        assertEquals(100.0, summary.get("bounce_rate").asDouble(), "one page each is still a bounce");
        // one session of about 1.1 s, one of 0 s
        double average = summary.get("avg_session_duration").asDouble();
        assertTrue(average >= 0.5 && average < 5, "average session duration " + average);
        assertTrue(stats.get("events").isEmpty(), "a ping is no event");
        assertEquals(400, owner.send("POST", "/ingest/engagement", io.hitkeep.core.Json.bytes(page("https://engaged.example/",
                "engaged_ms", "soon")), Map.of("User-Agent", FIREFOX_LINUX)).status());
    }

    @Test
    void datesAreTheSiteTimeZones() {
        // UTC+14: its "today" is often not UTC's, and its midnight is not UTC's
        ZoneId kiritimati = ZoneId.of("Pacific/Kiritimati");
        int site = owner.createSite("far-east.example", kiritimati.getId());
        accepted(owner.pageview(FIREFOX_LINUX, "198.51.100.20", page("https://far-east.example/")));
        LocalDate localToday = LocalDate.now(kiritimati);
        JsonNode stats = owner.awaitStats(site, localToday, s -> s.get("summary").get("pageviews").asLong() == 1);
        String localHour = LocalDateTime.now(kiritimati).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:00"));
        long inLocalHour = 0;
        for (JsonNode bucket : stats.get("chart")) {
            if (bucket.get("t").asText().equals(localHour) || bucket.get("t").asText().equals(
                    LocalDateTime.now(kiritimati).minusHours(1).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:00")))) {
                inLocalHour += bucket.get("pageviews").asLong();
            }
        }
        assertEquals(1, inLocalHour, "bucketed by the site's local hour: " + stats.get("chart"));
        assertEquals(0, owner.stats(site, localToday.minusDays(1), localToday.minusDays(1)).json()
                .get("summary").get("pageviews").asLong());
        // a week charted by day: seven buckets
        assertEquals(7, owner.stats(site, localToday.minusDays(6), localToday).json().get("chart").size());
    }

    @Test
    void apiKeysAuthenticateServerSideIngestAndTheApi() {
        int site = owner.createSite("backend.example", "UTC");
        HttpSession.Response created = owner.json("POST", "/api/user/api-keys", Map.of("name", "backend"));
        assertEquals(201, created.status(), created.body());
        String key = created.json().get("key").asText();
        assertTrue(key.startsWith("hk_"));
        HttpSession backend = owner.withBearer(key);

        HttpSession.Response ingest = backend.json("POST", "/api/ingest/server/pageview", Map.of(
                "url", "https://backend.example/checkout", "visitor_ip", "203.0.113.50", "user_agent", CHROME_WINDOWS,
                "timestamp", java.time.OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).toString()));
        assertEquals(202, ingest.status(), ingest.body());
        HttpSession.Response event = backend.json("POST", "/api/ingest/server/event", Map.of(
                "url", "https://backend.example/checkout", "name", "purchase", "props", Map.of("amount", 42),
                "visitor_ip", "203.0.113.50", "user_agent", CHROME_WINDOWS));
        assertEquals(202, event.status(), event.body());

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode stats = backend.awaitStats(site, today, s -> s.get("summary").get("pageviews").asLong() == 1
                && s.get("events").size() == 1);
        assertEquals(List.of("/checkout 1/1"), list(stats, "pages"));
        assertEquals(List.of("purchase 1/1"), list(stats, "events"));
        assertEquals("amount=42", stats.get("event_props").get(0).get("key").asText() + "="
                + stats.get("event_props").get(0).get("value").asText(), "a number keeps its JSON text");

        assertEquals(401, owner.withBearer("hk_not-a-key").get("/api/sites").status());
        assertEquals(400, backend.json("POST", "/api/ingest/server/pageview", Map.of(
                "url", "https://backend.example/", "visitor_ip", "not an ip", "user_agent", CHROME_WINDOWS)).status());
        assertEquals(404, backend.json("POST", "/api/ingest/server/pageview", Map.of(
                "url", "https://nobody.example/", "visitor_ip", "203.0.113.1", "user_agent", CHROME_WINDOWS)).status());
    }

    @Test
    void healthSaysTheSingleBinarysWriterLeads() {
        HttpSession.Response health = owner.anonymous().get("/healthz");
        assertEquals(200, health.status(), health.body());
        assertEquals("leader", health.json().get("writer").asText(), health.body());
        assertTrue(owner.anonymous().get("/metrics").body().contains("hitkeep_writer_leader 1"));
    }

    @Test
    void aBackendRetryWithTheSameIdempotencyKeyIsStoredOnce() {
        int site = owner.createSite("retries.example", "UTC");
        HttpSession.Response created = owner.json("POST", "/api/user/api-keys", Map.of("name", "retrying backend"));
        assertEquals(201, created.status(), created.body());
        HttpSession backend = owner.withBearer(created.json().get("key").asText());
        java.util.function.BiFunction<String, String, HttpSession.Response> send = (path, idempotencyKey) -> backend.send(
                "POST", "/api/ingest/server/pageview", Json.bytes(Map.of("url", "https://retries.example" + path,
                        "visitor_ip", "203.0.113.60", "user_agent", CHROME_WINDOWS)),
                Map.of("Content-Type", "application/json", "Idempotency-Key", idempotencyKey));

        // the client did not see the first answer (say it got a 503 or lost the connection) and sends again
        assertEquals(202, send.apply("/order", "order-1001").status());
        assertEquals(202, send.apply("/order", "order-1001").status());
        assertEquals(202, send.apply("/order", "order-1001").status());
        assertEquals(202, send.apply("/order", "order-1002").status(), "another key is another hit");
        // without a key, hits are never merged: two sends are two hits
        for (int i = 0; i < 2; i++) {
            assertEquals(202, backend.json("POST", "/api/ingest/server/pageview", Map.of("url", "https://retries.example/plain",
                    "visitor_ip", "203.0.113.60", "user_agent", CHROME_WINDOWS)).status());
        }

        JsonNode stats = backend.awaitStats(site, LocalDate.now(ZoneOffset.UTC), s -> s.get("summary").get("pageviews").asLong() >= 4);
        assertEquals(List.of("/order 2/1", "/plain 2/1"), list(stats, "pages"), "three sends of order-1001 stored once");

        send.apply("/order", " ").assertJsonError(400);
        send.apply("/order", "x".repeat(256)).assertJsonError(400);
    }

    @Test
    void apiKeysAreListedWithoutTheKeyAndRevokedAtOnce() {
        HttpSession.Response created = owner.json("POST", "/api/user/api-keys", Map.of("name", "to revoke"));
        assertEquals(201, created.status(), created.body());
        String key = created.json().get("key").asText();
        long id = created.json().get("id").asLong();
        HttpSession holder = owner.withBearer(key);
        assertEquals(200, holder.get("/api/sites").status(), "the key works");

        HttpSession.Response listed = owner.get("/api/user/api-keys");
        assertEquals(200, listed.status());
        JsonNode entry = null;
        for (JsonNode candidate : listed.json()) {
            if (candidate.get("id").asLong() == id) {
                entry = candidate;
            }
        }
        assertTrue(entry != null, "listed: " + listed.body());
        assertEquals("to revoke", entry.get("name").asText());
        assertEquals(key.substring(0, 10), entry.get("prefix").asText());
        assertTrue(!listed.body().contains(key), "the key itself is never shown again");

        assertEquals(200, owner.json("DELETE", "/api/user/api-keys/" + id, null).status());
        assertEquals(401, holder.get("/api/sites").status(), "refused right after the revocation, cache or not");
        assertEquals(404, owner.json("DELETE", "/api/user/api-keys/" + id, null).status(), "gone");
        assertEquals(404, owner.json("DELETE", "/api/user/api-keys/not-a-number", null).status());
    }

    @Test
    void theApiNeedsASessionAndOnlyShowsTheCallersSites() {
        HttpSession anonymous = owner.anonymous();
        assertEquals(401, anonymous.get("/api/sites").status());
        assertEquals(401, anonymous.get("/api/sites/1/stats").status());
        assertEquals(401, anonymous.json("POST", "/api/sites", Map.of("domain", "x.example")).status());
        assertEquals(401, anonymous.json("POST", "/api/user/api-keys", Map.of("name", "x")).status());
        assertEquals(401, owner.withCookie("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.").get("/api/sites").status());
        assertEquals(404, owner.get("/api/sites/99999/stats").status());
        assertEquals(404, owner.get("/api/sites/not-a-number/stats").status());
        assertEquals(409, owner.json("POST", "/api/initial-user", Map.of("email", "second@example.com",
                "password", "another long password")).status());
        HttpSession.Response list = owner.get("/api/sites");
        assertEquals(200, list.status());
        assertTrue(list.json().isArray());
    }
}
