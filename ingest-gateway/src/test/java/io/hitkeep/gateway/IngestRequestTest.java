package io.hitkeep.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

class IngestRequestTest {
    private static final long NOW = 1_735_689_600_000_000L;
    private static final String UA = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0";

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static IngestRequest pageview(String body) {
        return IngestRequest.parse(json(body), false, NOW, UA, "203.0.113.9", false);
    }

    static IngestRequest event(String body) {
        return IngestRequest.parse(json(body), true, NOW, UA, "203.0.113.9", false);
    }

    private static String props(int count) {
        ObjectNode props = Json.object();
        for (int i = 0; i < count; i++) {
            props.put("p" + i, i);
        }
        return props.toString();
    }

    static Stream<Arguments> malformed() {
        String page = "\"url\":\"https://example.com/\"";
        return Stream.of(
                argumentSet("missing url", false, "{}", "url is required"),
                argumentSet("empty url", false, "{\"url\":\"\"}", "url is required"),
                argumentSet("url not a string", false, "{\"url\":{\"href\":\"https://example.com/\"}}", "url is required"),
                argumentSet("relative url", false, "{\"url\":\"/blog/post\"}", "absolute http(s) URL"),
                argumentSet("ftp url", false, "{\"url\":\"ftp://example.com/file.txt\"}", "absolute http(s) URL"),
                argumentSet("mailto url", false, "{\"url\":\"mailto:someone@example.com\"}", "absolute http(s) URL"),
                argumentSet("url without host", false, "{\"url\":\"https:///blog\"}", "absolute http(s) URL"),
                argumentSet("url with a space", false, "{\"url\":\"https://example.com/a b\"}", "not a valid URL"),
                argumentSet("url too long", false,
                        "{\"url\":\"https://example.com/" + "a".repeat(IngestRequest.MAX_URL) + "\"}", "longer than 2048"),
                argumentSet("event without name", true, "{" + page + "}", "name is required"),
                argumentSet("event with blank name", true, "{" + page + ",\"name\":\"   \"}", "name is required"),
                argumentSet("event name too long", true, "{" + page + ",\"name\":\"" + "n".repeat(121) + "\"}", "longer than 120"),
                argumentSet("event without url", true, "{\"name\":\"signup\"}", "url is required"),
                argumentSet("props an array", true, "{" + page + ",\"name\":\"signup\",\"props\":[1,2]}", "props must be an object"),
                argumentSet("props a string", true, "{" + page + ",\"name\":\"signup\",\"props\":\"plan=pro\"}", "props must be an object"),
                argumentSet("nested prop value", true, "{" + page + ",\"name\":\"signup\",\"props\":{\"plan\":{\"tier\":1}}}",
                        "prop 'plan' must be a string, number or boolean"),
                argumentSet("array prop value", true, "{" + page + ",\"name\":\"signup\",\"props\":{\"tags\":[\"a\"]}}",
                        "prop 'tags' must be a string, number or boolean"),
                argumentSet("null prop value", true, "{" + page + ",\"name\":\"signup\",\"props\":{\"plan\":null}}",
                        "prop 'plan' must be a string, number or boolean"),
                argumentSet("too many props", true, "{" + page + ",\"name\":\"signup\",\"props\":" + props(31) + "}",
                        "more than 30 entries"),
                argumentSet("empty prop name", true, "{" + page + ",\"name\":\"signup\",\"props\":{\"\":1}}", "1 to 64 characters"),
                argumentSet("prop name too long", true,
                        "{" + page + ",\"name\":\"signup\",\"props\":{\"" + "k".repeat(65) + "\":1}}", "1 to 64 characters"));
    }

    @ParameterizedTest
    @MethodSource
    void malformed(boolean isEvent, String body, String message) {
        DomainError error = assertThrows(DomainError.class,
                () -> IngestRequest.parse(json(body), isEvent, NOW, UA, "203.0.113.9", false));

        assertEquals(DomainError.Kind.INVALID, error.kind());
        assertTrue(error.getMessage().contains(message), "message was: " + error.getMessage());
    }

    @Test
    void minimalPageview() {
        IngestRequest request = IngestRequest.parse(json("{\"url\":\"https://example.com/pricing?plan=pro\"}"), false, NOW,
                UA, "203.0.113.9", true);

        assertEquals(URI.create("https://example.com/pricing?plan=pro"), request.url());
        assertEquals("", request.referrer());
        assertEquals("", request.sessionId());
        assertEquals("", request.language());
        assertEquals(0, request.viewportWidth());
        assertEquals(Map.of(), request.utm());
        assertEquals("", request.eventName());
        assertEquals("", request.propsJson());
        assertEquals(NOW, request.timestampMicros());
        assertEquals(UA, request.userAgent());
        assertEquals("203.0.113.9", request.clientIp());
        assertTrue(request.doNotTrack());
    }

    @Test
    void allTrackerFields() {
        IngestRequest request = pageview("""
                {"url": " HTTPS://Example.com/blog ", "referrer": " https://news.ycombinator.com/item?id=1 ",
                 "session_id": "abc123", "lang": "de-AT", "vp_w": 1280, "vp_h": 720,
                 "u_src": " newsletter ", "u_med": "email", "u_cmp": "spring", "u_trm": "analytics", "u_cnt": "footer"}
                """);

        assertEquals(URI.create("HTTPS://Example.com/blog"), request.url());
        assertEquals("https://news.ycombinator.com/item?id=1", request.referrer());
        assertEquals("abc123", request.sessionId());
        assertEquals("de-AT", request.language());
        assertEquals(1280, request.viewportWidth());
        assertEquals(Map.of("utm_source", "newsletter", "utm_medium", "email", "utm_campaign", "spring",
                "utm_term", "analytics", "utm_content", "footer"), request.utm());
    }

    @Test
    void emptyUtmFieldsAreLeftOutAndLongOnesCapped() {
        IngestRequest request = pageview("{\"url\":\"https://example.com/\",\"u_src\":\"  \",\"u_med\":\"" + "m".repeat(300) + "\"}");

        assertEquals(Map.of("utm_medium", "m".repeat(256)), request.utm());
    }

    @ParameterizedTest(name = "vp_w {0} -> {1}")
    @CsvSource({
            "1280,          1280",
            "0,             0",
            "-5,            0",
            "100000,        100000",
            "1000000000,    100000",
            "99999999999,   0",
            "1280.7,        1280",
            "'\"1280\"',    0",
            "null,          0",
            "true,          0",
    })
    void viewportWidthIsClamped(String json, int wanted) {
        assertEquals(wanted, pageview("{\"url\":\"https://example.com/\",\"vp_w\":" + json + "}").viewportWidth());
    }

    @Test
    void longFieldsAreCapped() {
        IngestRequest request = pageview("{\"url\":\"https://example.com/\",\"session_id\":\"" + "s".repeat(200)
                + "\",\"lang\":\"" + "l".repeat(50) + "\",\"referrer\":\"https://r.example/" + "r".repeat(3000) + "\"}");

        assertEquals(128, request.sessionId().length());
        assertEquals(35, request.language().length());
        assertEquals(IngestRequest.MAX_URL, request.referrer().length());
    }

    @Test
    void urlOfTheLongestAllowedLength() {
        String url = "https://example.com/" + "a".repeat(IngestRequest.MAX_URL - "https://example.com/".length());

        assertEquals(url, pageview("{\"url\":\"" + url + "\"}").url().toString());
    }

    @Test
    void eventPropsAreCompacted() {
        IngestRequest request = event("""
                {"url": "https://example.com/signup", "name": " signup ",
                 "props": { "plan" : "pro",  "seats" : 3, "trial" : false, "ratio": 0.5, "note": "%s" }}
                """.formatted("x".repeat(300)));

        assertEquals("signup", request.eventName());
        assertEquals("{\"plan\":\"pro\",\"seats\":3,\"trial\":false,\"ratio\":0.5,\"note\":\"" + "x".repeat(256) + "\"}",
                request.propsJson());
    }

    @Test
    void eventWithUpToThirtyProps() {
        IngestRequest request = event("{\"url\":\"https://example.com/\",\"name\":\"n\",\"props\":" + props(30) + "}");

        assertEquals(props(30), request.propsJson());
    }

    @ParameterizedTest(name = "props {0}")
    @CsvSource(delimiter = '|', value = {"absent | ", "null | ,\"props\":null", "empty | ,\"props\":{}"})
    void eventWithoutPropsHasEmptyProps(String name, String props) {
        IngestRequest request = event("{\"url\":\"https://example.com/\",\"name\":\"download\"" + (props == null ? "" : props) + "}");

        assertEquals("", request.propsJson());
    }

    @Test
    void pageviewIgnoresEventFields() {
        IngestRequest request = pageview("{\"url\":\"https://example.com/\",\"name\":\"signup\",\"props\":[\"not checked\"]}");

        assertEquals("", request.eventName());
        assertEquals("", request.propsJson());
    }
}
