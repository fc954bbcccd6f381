package io.hitkeep.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.Json;
import io.hitkeep.testing.HttpSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/sites/{id}/export} through the single binary: the hits that were sent come back in each format
 * as a download, bad requests are JSON 400s; {@code retention_days} is set and cleared with {@code PATCH}.
 */
class ExportAndRetentionTest {
    @RegisterExtension
    static SingleBinary server = new SingleBinary();
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static int site;

    @BeforeAll
    static void hits() {
        site = server.owner().createSite("export.example", "UTC");
        HttpSession visitor = new HttpSession(server.port());
        for (int i = 0; i < 30; i++) {
            assertEquals(202, visitor.pageview(HttpSession.FIREFOX_LINUX, "198.51.100." + i,
                    Map.of("url", "https://export.example/page-" + i + "?utm_source=news")).status());
        }
        assertEquals(202, visitor.event(HttpSession.FIREFOX_LINUX, "198.51.100.1",
                Map.of("name", "Signup", "url", "https://export.example/", "props", Map.of("plan", "pro"))).status());
        server.owner().awaitStats(site, TODAY, stats -> stats.get("summary").get("pageviews").asLong() == 30
                && stats.get("events").size() == 1);
    }

    private static String export(String format) {
        return "/api/sites/" + site + "/export?from=" + TODAY.minusDays(1) + "&to=" + TODAY + "&format=" + format;
    }

    @Test
    void csvAndNdjsonHoldEveryHitAndNothingPersonal() throws Exception {
        HttpSession.Response csv = server.owner().get(export("csv"));
        assertEquals(200, csv.status(), csv.body());
        assertTrue(csv.header("Content-Type").startsWith("text/csv"));
        assertEquals("attachment; filename=\"hitkeep-site-" + site + "-" + TODAY.minusDays(1) + "-" + TODAY + ".csv\"",
                csv.header("Content-Disposition"));
        List<String> lines = csv.body().lines().toList();
        assertEquals(1 + 31, lines.size(), "a header, 30 pageviews and an event");
        assertTrue(lines.getFirst().startsWith("kind,timestamp,name,props,hostname,path"));
        assertEquals(30, lines.stream().filter(line -> line.startsWith("pageview,")).count());
        assertTrue(lines.stream().noneMatch(line -> line.contains("198.51.100") || line.contains("Mozilla")), "no IP, no user agent");

        HttpSession.Response ndjson = server.owner().get(export("ndjson"));
        assertEquals(200, ndjson.status());
        List<JsonNode> rows = ndjson.body().lines().map(line -> {
            try {
                return Json.MAPPER.readTree(line);
            } catch (Exception e) {
                throw new AssertionError(line, e);
            }
        }).toList();
        assertEquals(31, rows.size());
        JsonNode event = rows.stream().filter(row -> row.get("kind").asText().equals("event")).findFirst().orElseThrow();
        assertEquals("Signup", event.get("name").asText());
        assertEquals("pro", Json.MAPPER.readTree(event.get("props").asText()).get("plan").asText());
        assertTrue(rows.stream().anyMatch(row -> row.get("utm_source").asText().equals("news")));
    }

    @Test
    void parquetIsAParquetFile() {
        HttpSession.Response parquet = server.owner().get(export("parquet"));
        assertEquals(200, parquet.status());
        assertEquals("application/vnd.apache.parquet", parquet.header("Content-Type"));
        assertTrue(parquet.body().startsWith("PAR1") && parquet.body().endsWith("PAR1"), "Parquet's magic at both ends");
    }

    @Test
    void badRequestsAreJsonErrors() {
        String base = "/api/sites/" + site + "/export?";
        for (String query : List.of("from=2020-01-01&to=2020-01-31&format=xlsx", "from=2010-01-01&to=2020-01-02",
                "from=2020-02-01&to=2020-01-01", "to=2020-01-01", "from=yesterday&to=2020-01-01")) {
            server.owner().get(base + query).assertJsonError(400);
        }
        server.owner().get("/api/sites/99999/export?from=2020-01-01&to=2020-01-02").assertJsonError(404);
    }

    @Test
    void retentionIsSetAndCleared() {
        String path = "/api/sites/" + site;
        server.owner().json("PATCH", path, Map.of("retention_days", 5)).assertJsonError(400);
        server.owner().json("PATCH", path, Map.of("retention_days", "400")).assertJsonError(400);
        HttpSession.Response set = server.owner().json("PATCH", path, Map.of("retention_days", 400));
        assertEquals(200, set.status(), set.body());
        assertEquals(400, set.json().get("retention_days").asInt());
        assertEquals(400, server.owner().get(path).json().get("retention_days").asInt());
        assertEquals(400, server.owner().json("PATCH", path, Map.of("name", "Renamed")).json().get("retention_days").asInt(),
                "left out keeps it");
        Map<String, Object> forever = new HashMap<>();
        forever.put("retention_days", null);
        assertTrue(server.owner().json("PATCH", path, forever).json().get("retention_days").isNull());
    }
}
