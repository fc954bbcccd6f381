package io.hitkeep.app;

import io.hitkeep.testing.HttpSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each malformed request gets its documented status and a JSON error, and the server keeps serving. */
class BadInputTest {
    private static final Map<String, String> TRACKER = Map.of("Content-Type", "text/plain",
            "User-Agent", HttpSession.FIREFOX_LINUX);
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

    @RegisterExtension
    static final SingleBinary SERVER = new SingleBinary();
    private final HttpSession owner = SERVER.owner();

    /** A funnel of site 1, for the report's cases. */
    private static int funnelId;

    @BeforeAll
    static void start() {
        SERVER.owner().createSite("example.com", "UTC");
        funnelId = SERVER.owner().json("POST", "/api/sites/1/funnels", Map.of("name", "Signup", "steps",
                List.of(Map.of("type", "pageview", "path", "/"), Map.of("type", "event", "event", "Signup")))).json().get("id").asInt();
    }


    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Arguments> cases() {
        String big = "{\"url\":\"https://example.com/\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
        return Stream.of(
                Arguments.of("not json", "POST", "/ingest", bytes("{not json"), TRACKER, 400),
                Arguments.of("empty body", "POST", "/ingest", bytes(""), TRACKER, 400),
                Arguments.of("missing url", "POST", "/ingest", bytes("{\"referrer\":\"https://x.org/\"}"), TRACKER, 400),
                Arguments.of("url not absolute", "POST", "/ingest", bytes("{\"url\":\"/relative\"}"), TRACKER, 400),
                Arguments.of("url not http", "POST", "/ingest", bytes("{\"url\":\"ftp://example.com/\"}"), TRACKER, 400),
                Arguments.of("url a number", "POST", "/ingest", bytes("{\"url\":42}"), TRACKER, 400),
                Arguments.of("json array", "POST", "/ingest", bytes("[1,2,3]"), TRACKER, 400),
                Arguments.of("json string", "POST", "/ingest", bytes("\"https://example.com/\""), TRACKER, 400),
                Arguments.of("body over 64 KiB", "POST", "/ingest", bytes(big), TRACKER, 413),
                Arguments.of("event without name", "POST", "/ingest/event", bytes("{\"url\":\"https://example.com/\"}"), TRACKER, 400),
                Arguments.of("event props an array", "POST", "/ingest/event",
                        bytes("{\"url\":\"https://example.com/\",\"name\":\"x\",\"props\":[1]}"), TRACKER, 400),
                Arguments.of("event prop nested", "POST", "/ingest/event",
                        bytes("{\"url\":\"https://example.com/\",\"name\":\"x\",\"props\":{\"a\":{\"b\":1}}}"), TRACKER, 400),
                Arguments.of("unknown site is dropped quietly", "POST", "/ingest", bytes("{\"url\":\"https://unknown.example/\"}"), TRACKER, 202),
                Arguments.of("invalid utf-8 is replaced, not a crash", "POST", "/ingest",
                        new byte[] {'{', '"', 'u', 'r', 'l', '"', ':', '"', 'h', 't', 't', 'p', 's', ':', '/', '/', 'e', 'x', 'a', 'm', 'p',
                                'l', 'e', '.', 'c', 'o', 'm', '/', (byte) 0xff, (byte) 0xfe, '"', '}'}, TRACKER, -1),
                Arguments.of("api without auth", "GET", "/api/sites", null, Map.of(), 401),
                Arguments.of("login with wrong password", "POST", "/api/login",
                        bytes("{\"email\":\"owner@example.com\",\"password\":\"nope\"}"), JSON, 401),
                Arguments.of("login without password", "POST", "/api/login", bytes("{\"email\":\"owner@example.com\"}"), JSON, 400),
                Arguments.of("login not json", "POST", "/api/login", bytes("email=x"), JSON, 400),
                Arguments.of("second initial user", "POST", "/api/initial-user",
                        bytes("{\"email\":\"x@example.com\",\"password\":\"another long one\"}"), JSON, 409),
                Arguments.of("unknown route", "GET", "/nothing/here", null, Map.of(), 404),
                Arguments.of("wrong method on ingest", "GET", "/ingest", null, Map.of(), 404));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAsDocumented(String name, String method, String path, byte[] body, Map<String, String> headers, int want) {
        HttpSession.Response response = owner.anonymous().send(method, path, body, headers);
        if (want > 0) {
            assertEquals(want, response.status(), response.body());
        }
        assertTrue(response.status() < 500, "server error: " + response.status() + " " + response.body());
        if (response.status() >= 400) {
            assertNotNull(response.json(), "error body is JSON: " + response.body());
            assertTrue(response.json().hasNonNull("error"), response.body());
        }
        assertFalse(response.body().contains("Exception") || response.body().contains("\tat "), "no stack trace");
        assertEquals(200, owner.get("/readyz").status(), "still ready");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statsCases")
    void statsQueriesAreValidated(String name, String query, int want) {
        HttpSession.Response response = owner.get("/api/sites/1/stats" + query);
        assertEquals(want, response.status(), response.body());
        if (want >= 400) {
            assertTrue(response.json().hasNonNull("error"), response.body());
        }
    }

    static Stream<Arguments> statsCases() {
        return Stream.of(
                Arguments.of("no dates means today", "", 200),
                Arguments.of("from not a date", "?from=yesterday", 400),
                Arguments.of("to before from", "?from=2025-02-02&to=2025-02-01", 400),
                Arguments.of("range over three years", "?from=2020-01-01&to=2025-01-01", 400),
                Arguments.of("unknown filter dimension", "?filter=shoe_size:42", 400),
                Arguments.of("filter without colon", "?filter=country", 400),
                Arguments.of("limit not a number", "?limit=ten", 400),
                Arguments.of("limit too large", "?limit=100000", 400),
                Arguments.of("unknown part", "?parts=summary,everything", 400),
                Arguments.of("property filter without a value", "?filter=prop:plan", 400),
                Arguments.of("property filter without a key", "?filter=prop::pro", 400),
                Arguments.of("breakdown by a dimension", "?breakdown=country", 400),
                Arguments.of("property filter and breakdown", "?filter=prop:plan:pro&breakdown=prop:plan&parts=events,goals", 200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("funnelCases")
    void funnelsAreValidated(String name, String method, String path, Object body, int want) {
        HttpSession.Response response = owner.json(method, path, body);
        assertEquals(want, response.status(), response.body());
        assertTrue(response.json() != null && response.json().hasNonNull("error"), response.body());
        assertFalse(response.body().contains("Exception"), "no stack trace");
    }

    static Stream<Arguments> funnelCases() {
        List<Map<String, String>> twoSteps = List.of(Map.of("type", "pageview", "path", "/"), Map.of("type", "event", "event", "Signup"));
        return Stream.of(
                Arguments.of("steps not a list", "POST", "/api/sites/1/funnels", Map.of("name", "x", "steps", "/ then /a"), 400),
                Arguments.of("a step not an object", "POST", "/api/sites/1/funnels", Map.of("name", "x", "steps", List.of(1, 2)), 400),
                Arguments.of("one step", "POST", "/api/sites/1/funnels", Map.of("name", "x", "steps", twoSteps.subList(0, 1)), 400),
                Arguments.of("unknown window", "POST", "/api/sites/1/funnels", Map.of("name", "x", "window", "7d", "steps", twoSteps), 400),
                Arguments.of("property not an object", "POST", "/api/sites/1/funnels", Map.of("name", "x", "steps",
                        List.of(Map.of("type", "pageview", "path", "/"), Map.of("type", "event", "event", "Buy", "property", "pro"))), 400),
                Arguments.of("no name", "POST", "/api/sites/1/funnels", Map.of("steps", twoSteps), 400),
                Arguments.of("funnel id not a number", "GET", "/api/sites/1/funnels/abc", null, 404),
                Arguments.of("no such funnel", "GET", "/api/sites/1/funnels/99999", null, 404),
                Arguments.of("report with a bad date", "GET", "/api/sites/1/funnels/99999?from=yesterday", null, 400),
                Arguments.of("report with an unknown goal filter", "GET", "/api/sites/1/funnels/" + funnelId + "?filter=goal:Nope", null, 400),
                Arguments.of("delete no such funnel", "DELETE", "/api/sites/1/funnels/99999", null, 404));
    }
}
