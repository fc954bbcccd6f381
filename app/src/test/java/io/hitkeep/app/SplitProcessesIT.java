package io.hitkeep.app;

import io.hitkeep.testing.HttpSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.testing.NatsBroker;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.hitkeep.testing.HttpSession.list;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The split deployment: writer, gateway and query API as three JVMs against one broker, started from
 * the same jar with their own {@code Main}; the answers are the same as from the single binary.
 */
class SplitProcessesIT {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    @Test
    void threeRolesInThreeProcessesGiveTheSameAnswers() throws Exception {
        Path data = TempFiles.directory("hk-split-");
        Path log = Files.createTempFile("hk-split-", ".log");
        Map<String, String> shared = Map.of("HITKEEP_NATS_URL", broker.url(),
                "HITKEEP_JWT_SECRET", "split-test-secret-0123456789abcdef0123456789");
        Map<String, String> writerEnvironment = new java.util.HashMap<>(shared);
        writerEnvironment.put("HITKEEP_DATA_PATH", data.toString());
        try (JavaProcess writer = JavaProcess.start("io.hitkeep.writer.WriterMain", writerEnvironment, log);
             JavaProcess gateway = JavaProcess.start("io.hitkeep.gateway.GatewayMain", shared, log);
             JavaProcess query = JavaProcess.start("io.hitkeep.query.QueryMain", shared, log)) {
            HttpSession api = new HttpSession(query.port).signIn("owner@example.com", "correct horse battery");
            int site = api.createSite("example.com", "UTC");
            HttpSession tracker = new HttpSession(gateway.port);
            for (int i = 0; i < 30; i++) {
                HttpSession.Response response = tracker.pageview(HttpSession.FIREFOX_LINUX, "198.51.100." + (i % 6),
                        Map.of("url", "https://example.com/p" + (i % 3)));
                assertEquals(202, response.status(), response.body());
            }
            assertEquals(202, tracker.event(HttpSession.FIREFOX_LINUX, "198.51.100.1",
                    Map.of("url", "https://example.com/p1", "name", "signup")).status());

            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            JsonNode stats = api.awaitStats(site, today, s -> s.get("summary").get("pageviews").asLong() >= 30
                    && !s.get("events").isEmpty());
            assertEquals(30, stats.get("summary").get("pageviews").asLong());
            assertEquals(6, stats.get("summary").get("visitors").asLong());
            assertEquals(6, stats.get("summary").get("sessions").asLong());
            // page p(i % 3) is seen by the visitors i % 6 that share its remainder: two each
            assertEquals(List.of("/p0 10/2", "/p1 10/2", "/p2 10/2"), list(stats, "pages"));
            assertEquals(List.of("signup 1/1"), list(stats, "events"));
            assertEquals(401, tracker.anonymous().get("/api/sites").status(), "the gateway guards /api too");
            assertEquals(200, new HttpSession(writer.port).get("/readyz").status());
            assertEquals("leader", new HttpSession(writer.port).get("/healthz").json().get("writer").asText());
        } finally {
            TempFiles.deleteTree(data);
        }
    }
}
