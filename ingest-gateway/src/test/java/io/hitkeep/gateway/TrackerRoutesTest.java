package io.hitkeep.gateway;

import io.helidon.webserver.WebServer;
import io.hitkeep.tracker.TrackerScript;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrackerRoutesTest {
    private static WebServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(routing -> routing.addFeature(new TrackerRoutes()))
                .build().start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static HttpResponse<byte[]> get(String ifNoneMatch) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hk.js"));
        if (!ifNoneMatch.isEmpty()) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesTheMinifiedScriptCacheableForAnyOrigin() throws Exception {
        HttpResponse<byte[]> response = get("");
        assertEquals(200, response.statusCode());
        assertArrayEquals(TrackerScript.built().bytes(), response.body());
        assertEquals("text/javascript; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(TrackerScript.built().etag(), response.headers().firstValue("ETag").orElseThrow());
        assertEquals("public, max-age=86400", response.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    }

    @Test
    void answersNotModifiedForItsOwnTagWeakOrStrong() throws Exception {
        String etag = TrackerScript.built().etag();
        for (String ifNoneMatch : new String[] {etag, "W/" + etag, "\"other\", " + etag}) {
            HttpResponse<byte[]> response = get(ifNoneMatch);
            assertEquals(304, response.statusCode(), ifNoneMatch);
            assertEquals(0, response.body().length);
            assertEquals(etag, response.headers().firstValue("ETag").orElseThrow());
        }
    }

    @Test
    void sendsTheScriptAgainForAnOldTag() throws Exception {
        HttpResponse<byte[]> response = get("\"0123456789abcdef0123456789abcdef\"");
        assertEquals(200, response.statusCode());
        assertTrue(response.body().length > 0);
    }
}
