package io.hitkeep.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.hitkeep.core.Buckets;
import io.hitkeep.core.ClientAddress;
import io.hitkeep.core.Hit;
import io.hitkeep.core.HitCodec;
import io.hitkeep.core.HitStream;
import io.hitkeep.core.Json;
import io.hitkeep.core.Settings;
import io.hitkeep.core.Subjects;
import io.hitkeep.testing.NatsBroker;
import io.hitkeep.web.HttpJson;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.api.StreamState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Other tools' tracker requests against the gateway's endpoints for them, one named case a row, from the
 * fixture files {@code compat/plausible.json}, {@code compat/umami.json} and {@code compat/goatcounter.json}
 * (each says which documentation its requests were written from). A real nats-server, the real site registry,
 * salts and publisher; each case's wanted hits are read back from the hit stream, so what a 2xx promises is
 * checked where the writer will find it.
 */
@Timeout(120)
class CompatibleTrackersTest {
    static final String UMAMI_WEBSITE = "6a1e8f5c-0b2d-4c3e-9f4a-5b6c7d8e9f01";
    static final String GOATCOUNTER_CODE = "goat-code";
    /** A current desktop Chrome: the fixtures' visitor unless a case sends its own user agent. */
    private static final String BROWSER =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    private static SiteRegistry registry;
    private static HitPublisher publisher;
    private static WebServer server;

    @BeforeAll
    static void start() throws Exception {
        HitStream.ensure(management());
        KeyValue sites = Buckets.sites(broker.connection());
        sites.put("example.com", Json.bytes(Json.object().put("id", 1).put("team_id", 1).put("domain", "example.com")
                .put("excluded_paths", "/admin/*")));
        sites.put("rollup.example", Json.bytes(Json.object().put("id", 2).put("team_id", 1).put("domain", "rollup.example")));
        sites.put("umami.example", Json.bytes(Json.object().put("id", 3).put("team_id", 1).put("domain", "umami.example")
                .put("umami_website_id", UMAMI_WEBSITE)));
        sites.put("goat.example", Json.bytes(Json.object().put("id", 4).put("team_id", 1).put("domain", "goat.example")
                .put("goatcounter_code", GOATCOUNTER_CODE)));
        registry = new SiteRegistry(broker.connection());
        publisher = new HitPublisher(broker.connection());
        CompatibleIngest ingest = new CompatibleIngest(registry, new Salts(broker.connection()), publisher,
                new ClientAddress(Settings.of(Map.of())));
        server = WebServer.builder().host("127.0.0.1").port(0)
                .routing(routing -> {
                    HttpJson.registerErrorHandlers(routing);
                    routing.addFeature(new PlausibleEvents(ingest)).addFeature(new UmamiEvents(ingest))
                            .addFeature(new GoatCounterCounts(ingest));
                })
                .build().start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((registry.umamiWebsite(UMAMI_WEBSITE).isEmpty() || registry.goatCounterCode(GOATCOUNTER_CODE).isEmpty())
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(3, registry.umamiWebsite(UMAMI_WEBSITE).orElseThrow().id(), "the watch indexes the Umami website id");
        assertEquals(4, registry.goatCounterCode(GOATCOUNTER_CODE).orElseThrow().id(), "the watch indexes the GoatCounter code");
    }

    @AfterAll
    static void stop() {
        server.stop();
        publisher.close();
        registry.close();
    }

    @TestFactory
    Stream<DynamicTest> plausible() throws IOException {
        return cases("plausible.json");
    }

    @TestFactory
    Stream<DynamicTest> umami() throws IOException {
        return cases("umami.json");
    }

    @TestFactory
    Stream<DynamicTest> goatCounter() throws IOException {
        return cases("goatcounter.json");
    }

    private static Stream<DynamicTest> cases(String file) throws IOException {
        JsonNode fixtures;
        try (InputStream in = CompatibleTrackersTest.class.getResourceAsStream("compat/" + file)) {
            fixtures = Json.tree(in.readAllBytes());
        }
        List<DynamicTest> tests = new ArrayList<>();
        fixtures.get("cases").forEach(fixture -> tests.add(DynamicTest.dynamicTest(fixture.get("name").asText(), () -> run(fixture))));
        return tests.stream();
    }

    /** Sends the case's request on an empty stream, then checks the answer and the hits the stream holds. */
    private static void run(JsonNode fixture) throws Exception {
        management().purgeStream(Subjects.HIT_STREAM);
        String name = fixture.get("name").asText();
        HttpResponse<byte[]> response = send(fixture.get("request"));
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(fixture.get("status").asInt(), response.statusCode(), name + ": " + body);
        assertFalse(body.contains("Exception"), name + ": " + body);
        if (response.statusCode() >= 400) {
            JsonNode error = Json.tree(response.body());
            assertTrue(error.path("error").asText().contains(fixture.path("error").asText()), name + ": " + body);
        }
        if (fixture.has("body")) {
            assertEquals(fixture.get("body").asText(), body, name);
        }
        if (fixture.has("json")) {
            assertEquals(fixture.get("json"), Json.tree(response.body()), name);
        }
        if (fixture.has("content_type")) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            assertTrue(type.startsWith(fixture.get("content_type").asText()), name + ": " + type);
        }
        if (fixture.path("gif").asBoolean()) {
            assertArrayEquals(GoatCounterCounts.GIF, response.body(), name);
            assertEquals(43, response.body().length, "a 1x1 GIF");
        }
        if (response.statusCode() < 300 && !fixture.get("request").get("method").asText().equals("OPTIONS")) {
            assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElse(""), name + ": CORS for any page");
        }
        for (Iterator<Map.Entry<String, JsonNode>> wanted = fixture.path("response_headers").fields(); wanted.hasNext(); ) {
            Map.Entry<String, JsonNode> header = wanted.next();
            assertEquals(header.getValue().asText(), response.headers().firstValue(header.getKey()).orElse(""), name + ": " + header.getKey());
        }
        List<Hit> hits = hits();
        JsonNode wantedHits = fixture.get("hits");
        assertEquals(wantedHits.size(), hits.size(), name + ": " + hits);
        for (int i = 0; i < hits.size(); i++) {
            JsonNode hit = Json.MAPPER.valueToTree(hits.get(i));
            for (Iterator<Map.Entry<String, JsonNode>> fields = wantedHits.get(i).fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().equals("props")) {
                    assertEquals(field.getValue(), Json.tree(hits.get(i).propsJson().getBytes(StandardCharsets.UTF_8)), name + ": props");
                } else {
                    assertTrue(hit.has(field.getKey()), name + ": no field " + field.getKey() + " in " + hit);
                    assertEquals(field.getValue().asText(), hit.get(field.getKey()).asText(), name + ": " + field.getKey());
                }
            }
            assertTrue(hits.get(i).visitorId() != 0, name + ": a visitor id from the salt");
        }
    }

    private static HttpResponse<byte[]> send(JsonNode request) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = request.has("body")
                ? HttpRequest.BodyPublishers.ofByteArray(Json.bytes(request.get("body")))
                : request.has("body_text") ? HttpRequest.BodyPublishers.ofString(request.get("body_text").asText())
                : HttpRequest.BodyPublishers.noBody();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + request.get("path").asText()))
                .method(request.get("method").asText(), body);
        JsonNode headers = request.path("headers");
        if (!headers.has("User-Agent")) {
            builder.header("User-Agent", BROWSER);
        }
        headers.fields().forEachRemaining(header -> builder.header(header.getKey(), header.getValue().asText()));
        return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JetStreamManagement management() throws IOException {
        return broker.connection().jetStreamManagement();
    }

    /** Every hit in the stream, in order; nobody consumes it here. */
    private static List<Hit> hits() throws Exception {
        StreamState state = management().getStreamInfo(Subjects.HIT_STREAM).getStreamState();
        List<Hit> hits = new ArrayList<>();
        for (long sequence = state.getFirstSequence(); state.getMsgCount() > 0 && sequence <= state.getLastSequence(); sequence++) {
            hits.addAll(HitCodec.decode(management().getMessage(Subjects.HIT_STREAM, sequence).getData()));
        }
        return hits;
    }
}
