package io.hitkeep.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.hitkeep.web.HttpJson;
import io.hitkeep.core.Json;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.hitkeep.testing.HttpSession;
import io.hitkeep.testing.HttpSession.Response;
import io.hitkeep.testing.NatsBroker;
import io.hitkeep.testing.TempFiles;
import io.hitkeep.writer.Writer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Accounts and security over real HTTP against a real writer (DuckDB) and nats-server: session
 * revocation, TOTP with a fixed clock, rate limits and lockout, the audit log. One user exists (there is
 * only the first-user route), so the tests run in order and each leaves it signed in without TOTP.
 * Every request comes from its own address (X-Forwarded-For, believed from loopback) unless a test
 * fixes one, so the per-address limits only bite where a test wants them to.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountSecurityTest {
    private static final String EMAIL = "owner@example.com";
    private static final String PASSWORD = "correct horse battery";

    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    private static final TestClock CLOCK = new TestClock(Instant.parse("2026-03-01T12:00:00Z"));
    private static final AtomicInteger ADDRESSES = new AtomicInteger();
    private static Path data;
    private static Writer writer;
    private static WebServer server;

    /** A clock the tests move by hand. */
    static final class TestClock extends Clock {
        private final AtomicReference<Instant> now;

        TestClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }


    @BeforeAll
    static void start() {
        data = TempFiles.directory("hk-auth-");
        Settings settings = Settings.of(Map.of(Settings.DATA_PATH, data.toString(),
                Settings.JWT_SECRET, "auth-test-secret-0123456789abcdef0123456789",
                "api-rate-limit", "40", "ingest-rate-limit", "5", "login-rate-limit", "10"));
        writer = Writer.start(settings, broker.connection());
        StoreClient store = new StoreClient(broker.connection());
        server = WebServer.builder().port(0).host("127.0.0.1")
                .routing(routing -> {
                    HttpJson.registerErrorHandlers(routing);
                    routing.addFeature(ApiAuthentication.create(settings, store, CLOCK))
                            .register("/api", new AccountRoutes(settings, store, CLOCK))
                            .post("/ingest", (request, response) -> response.status(202).send());
                })
                .build().start();
        Response created = post("/api/initial-user", Map.of("email", EMAIL, "password", PASSWORD), "");
        assertEquals(201, created.status(), String.valueOf(created.json()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (writer != null) {
            writer.close();
        }
        TempFiles.deleteTree(data);
    }

    private static String freshAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "10.1." + (n / 250) + "." + (n % 250 + 1);
    }

    static Response send(String method, String path, Object body, String cookie, String address) {
        return new HttpSession("http://127.0.0.1:" + server.port()).withCookie(cookie).send(method, path,
                body == null ? null : Json.bytes(body), Map.of("Content-Type", "application/json", "X-Forwarded-For", address));
    }

    static Response post(String path, Object body, String cookie) {
        return send("POST", path, body, cookie, freshAddress());
    }

    static Response get(String path, String cookie) {
        return send("GET", path, null, cookie, freshAddress());
    }

    static Response login(String password) {
        return post("/api/login", Map.of("email", EMAIL, "password", password), "");
    }

    static String signIn() {
        Response response = login(PASSWORD);
        assertEquals(200, response.status(), String.valueOf(response.json()));
        assertFalse(response.cookie().isEmpty(), "hk_token set");
        return response.cookie();
    }

    @Test
    @Order(1)
    void aTokenUsedAfterLogoutIs401() {
        String first = signIn();
        String second = signIn();
        assertEquals(200, get("/api/user", first).status());
        Response out = post("/api/logout", null, first);
        assertEquals(200, out.status());
        assertTrue(out.header("set-cookie").contains("Max-Age=0"), out.header("set-cookie"));
        assertEquals(401, get("/api/user", first).status(), "the logged-out token, presented again");
        assertEquals(200, get("/api/user", second).status(), "another session of the same user is untouched");
    }

    /** Regression: logout accepted a cross-site Origin while every other cookie write refused it. */
    @Test
    @Order(1)
    void aCrossSiteLogoutIsRefused() {
        String session = signIn();
        HttpSession browser = new HttpSession("http://127.0.0.1:" + server.port()).withCookie(session);
        Response forged = browser.send("POST", "/api/logout", null, Map.of("Origin", "https://evil.example",
                "X-Forwarded-For", freshAddress()));
        forged.assertJsonError(403);
        assertEquals(200, get("/api/user", session).status(), "the session goes on");
        Response own = browser.send("POST", "/api/logout", null, Map.of("Origin", "http://127.0.0.1:" + server.port(),
                "X-Forwarded-For", freshAddress()));
        assertEquals(200, own.status(), own.body());
    }

    @Test
    @Order(2)
    void signOutEverywhereKillsEverySession() {
        String first = signIn();
        String second = signIn();
        assertEquals(200, post("/api/user/sign-out-everywhere", null, first).status());
        assertEquals(401, get("/api/user", first).status());
        assertEquals(401, get("/api/user", second).status());
        String after = signIn();
        assertEquals(200, get("/api/user", after).status(), "a session started afterwards works");
    }

    @Test
    @Order(3)
    void lockoutGrowsAfterFiveFailuresAndAnswers429WithoutCheckingThePassword() {
        String network = "10.20.30.";
        for (int i = 0; i < 5; i++) {
            assertEquals(401, loginFrom(network + (i + 1), "wrong password " + i).status());
        }
        Response locked = loginFrom(network + 6, PASSWORD);
        assertEquals(429, locked.status(), "even the right password waits, from any address of that network");
        assertEquals("2", locked.header("retry-after"));
        CLOCK.advance(Duration.ofSeconds(2));
        assertEquals(401, loginFrom(network + 7, "wrong again").status(), "after the wait one attempt is checked");
        Response longer = loginFrom(network + 8, PASSWORD);
        assertEquals(429, longer.status());
        assertEquals("4", longer.header("retry-after"), "the wait doubles");
        CLOCK.advance(Duration.ofSeconds(4));
        assertEquals(200, loginFrom(network + 9, PASSWORD).status());
        assertEquals(401, loginFrom(network + 10, "one more wrong").status(), "a success forgets the failures");
    }

    static Response loginFrom(String address, String password) {
        return send("POST", "/api/login", Map.of("email", EMAIL, "password", password), "", address);
    }

    @Test
    @Order(4)
    void perAddressLimitsAnswer429WithRetryAfter() {
        String cookie = signIn();
        String address = freshAddress();
        int ok = 0;
        Response last;
        do {
            last = send("GET", "/api/user", null, cookie, address);
            ok += last.status() == 200 ? 1 : 0;
        } while (last.status() == 200 && ok < 100);
        assertEquals(40, ok, "api-rate-limit");
        assertEquals(429, last.status());
        assertEquals("too many requests; slow down", last.json().get("error").asText());
        assertTrue(Long.parseLong(last.header("retry-after")) >= 1);
        assertEquals(200, get("/api/user", cookie).status(), "another address is not limited");

        String tracker = freshAddress();
        for (int i = 0; i < 5; i++) {
            assertEquals(202, send("POST", "/ingest", Map.of("url", "https://example.com/"), "", tracker).status());
        }
        Response limited = send("POST", "/ingest", Map.of("url", "https://example.com/"), "", tracker);
        assertEquals(429, limited.status(), "ingest-rate-limit");
        assertTrue(Long.parseLong(limited.header("retry-after")) >= 1);
        assertEquals("*", limited.header("access-control-allow-origin"));

        String guesser = freshAddress();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            statuses.add(send("POST", "/api/login/totp", Map.of("challenge", "x", "code", "123456"), "", guesser).status());
        }
        assertEquals(401, statuses.get(0));
        assertEquals(429, statuses.get(10), "login-rate-limit covers the second step too: " + statuses);
    }

    @Test
    @Order(5)
    void totpSecondFactor() {
        String cookie = signIn();
        Response started = post("/api/user/totp", null, cookie);
        assertEquals(200, started.status(), String.valueOf(started.json()));
        String secret = started.json().get("secret").asText();
        assertTrue(started.json().get("otpauth_uri").asText().startsWith("otpauth://totp/HitKeep%3Aowner%40example.com?secret=" + secret));
        byte[] key = Totp.base32Decode(secret);
        long t0 = Totp.step(CLOCK.instant());

        assertEquals(400, post("/api/user/totp/confirm", Map.of("code", Totp.code(key, t0 + 2)), cookie).status());
        Response confirmed = post("/api/user/totp/confirm", Map.of("code", Totp.code(key, t0)), cookie);
        assertEquals(200, confirmed.status(), String.valueOf(confirmed.json()));
        List<String> recovery = new ArrayList<>();
        confirmed.json().get("recovery_codes").forEach(code -> recovery.add(code.asText()));
        assertEquals(10, recovery.size());

        // sign-in now stops at the second factor
        Response challenged = login(PASSWORD);
        assertEquals(200, challenged.status());
        assertEquals("", challenged.cookie(), "no session before the second factor");
        assertEquals("required", challenged.json().get("second_factor").asText());
        assertEquals("[\"totp\",\"recovery_code\"]", challenged.json().get("factors").toString());
        String challenge = challenged.json().get("challenge").asText();
        assertEquals(401, get("/api/user", challenge).status(), "a challenge is not a session");

        CLOCK.advance(Duration.ofSeconds(30 * 10));
        long now = t0 + 10;
        assertEquals(401, secondFactor(challenge, "code", Totp.code(key, now - 2)).status(), "two steps early");
        Response early = secondFactor(challenge, "code", Totp.code(key, now - 1));
        assertEquals(200, early.status(), "one step early");
        assertEquals(200, get("/api/user", early.cookie()).status());
        assertEquals(401, secondFactor(challenge, "code", Totp.code(key, now - 1)).status(), "replayed");

        CLOCK.advance(Duration.ofSeconds(30 * 10));
        now = t0 + 20;
        assertEquals(401, secondFactor(challenge, "code", Totp.code(key, now + 2)).status(), "two steps late");
        assertEquals(200, secondFactor(challenge, "code", Totp.code(key, now + 1)).status(), "one step late");
        assertEquals(401, secondFactor(challenge, "code", Totp.code(key, now)).status(),
                "an older step after a newer one was used");

        Response recovered = secondFactor(challenge, "recovery_code", recovery.get(3).toUpperCase());
        assertEquals(200, recovered.status(), "recovery code");
        assertFalse(recovered.cookie().isEmpty());
        assertEquals(401, secondFactor(challenge, "recovery_code", recovery.get(3)).status(), "recovery code used twice");
        assertEquals(401, secondFactor("not-a-challenge", "recovery_code", recovery.get(4)).status());

        // turning it off needs a fresh code
        CLOCK.advance(Duration.ofSeconds(60));
        now = t0 + 22;
        assertEquals(400, send("DELETE", "/api/user/totp", Map.of("code", Totp.code(key, now + 3)), cookie, freshAddress()).status());
        assertEquals(200, send("DELETE", "/api/user/totp", Map.of("code", Totp.code(key, now)), cookie, freshAddress()).status());
        signIn();
    }

    private static Response secondFactor(String challenge, String field, String value) {
        return post("/api/login/totp", Map.of("challenge", challenge, field, value), "");
    }

    @Test
    @Order(6)
    void auditLogListsTheCallersEventsNewestFirst() {
        String cookie = signIn();
        assertEquals(201, post("/api/user/api-keys", Map.of("name", "backend"), cookie).status());
        Response audit = get("/api/audit", cookie);
        assertEquals(200, audit.status());
        List<String> events = new ArrayList<>();
        audit.json().get("events").forEach(event -> events.add(event.get("event").asText()));
        assertEquals("api_key_created", events.get(0), "newest first: " + events);
        assertEquals("login", events.get(1));
        for (String wanted : List.of("user_created", "login", "login_failed", "logout", "sign_out_everywhere",
                "totp_enabled", "totp_disabled", "api_key_created")) {
            assertTrue(events.contains(wanted), wanted + " in " + events);
        }
        assertTrue(events.size() <= 100);
        JsonNode newest = audit.json().get("events").get(0);
        assertEquals("backend (owner)", newest.get("detail").asText());
        assertTrue(newest.get("ip").asText().matches("10\\.1\\.\\d+\\.0/24"), "a network, not an address: " + newest);
        assertNotNull(Instant.parse(newest.get("time").asText()));
    }

    @Test
    @Order(8)
    void guessingFromElsewhereCannotLockTheOwnerOut() {
        CLOCK.advance(Duration.ofHours(3)); // earlier tests' failures are forgotten
        String office = "10.40.0.";
        assertEquals(200, loginFrom(office + 1, PASSWORD).status(), "the owner signs in from the office");
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            assertEquals(401, loginFrom("10.41.0." + (i + 1), "guess " + i).status());
        }
        assertEquals(429, loginFrom("10.41.0.9", PASSWORD).status(), "the guessing network is locked");
        assertEquals(200, loginFrom("10.42.0.1", PASSWORD).status(), "another network is not");
        assertEquals(200, loginFrom(office + 2, PASSWORD).status(), "nor the office");

        // guessing spread over many networks: after 50 failures everywhere the account slows down for new networks
        int sent = LoginThrottle.FREE_FAILURES;
        for (int network = 0; sent < LoginThrottle.FREE_FAILURES_EVERYWHERE; network++) {
            for (int host = 1; host <= 4 && sent < LoginThrottle.FREE_FAILURES_EVERYWHERE; host++, sent++) {
                assertEquals(401, loginFrom("10.50." + network + "." + host, "spread guess").status());
            }
        }
        Response stranger = loginFrom("10.60.0.1", PASSWORD);
        assertEquals(429, stranger.status(), "a network never seen waits once guesses come from everywhere");
        assertEquals("1", stranger.header("retry-after"), "the limit from everywhere is slower");
        assertEquals(200, loginFrom(office + 3, PASSWORD).status(), "the office, known from a success, is never held up");
        assertEquals(200, loginFrom("10.42.0.2", PASSWORD).status(), "nor the other network the owner used");

        CLOCK.advance(Duration.ofHours(3));
        assertEquals(200, loginFrom("10.61.0.1", PASSWORD).status(), "failures are forgotten after a while");
    }

    @Test
    @Order(7)
    void auditNetworks() {
        assertEquals("198.51.100.0/24", SignInGuard.network("198.51.100.77"));
        assertEquals("2001:db8:1:0:0:0:0:0/48", SignInGuard.network("2001:db8:1:2::5"));
        assertEquals("", SignInGuard.network(""));
    }
}
