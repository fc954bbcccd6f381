package io.hitkeep.reports.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Hit;
import io.hitkeep.core.Json;
import io.hitkeep.core.Scope;
import io.hitkeep.reports.TestHits;
import io.hitkeep.writer.ArchivedMonths;
import io.hitkeep.writer.HitWriter;
import io.hitkeep.writer.StoredHits;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export pages walk every row once, even when many rows share an instant across a page's edge, and each
 * format writes what the pages hold. Real DuckDB file, pages asked of the handler directly.
 */
class ExportPagesTest {
    private static List<JsonNode> walk(ExportPages pages, ExportPages.Kind kind, String from, String to) {
        List<JsonNode> rows = new ArrayList<>();
        String after = "";
        while (true) {
            ObjectNode page = pages.operatorPage(new ExportPages.Page(Scope.user(0), 1, from, to, kind, after));
            assertTrue(page.get("rows").size() <= ExportPages.PAGE_ROWS + 2500, "a page stays small");
            page.get("rows").forEach(rows::add);
            if (!page.has("next")) {
                return rows;
            }
            after = page.get("next").asText();
        }
    }

    @Test
    void everyRowOnceAcrossPageEdgesOfSharedInstants() {
        try (StoredHits stored = StoredHits.open()) {
            TestHits.execute(stored.database(), "INSERT INTO sites (id, owner_id, domain, name, timezone) VALUES (1, 1, 'example.com', 'e', 'Europe/Berlin')");
            List<Hit> hits = new ArrayList<>();
            // 1999 distinct instants, then 2500 rows in one microsecond (a page edge inside it), then more
            for (int i = 0; i < 1999; i++) {
                hits.add(withMicros(TestHits.hit(1, "2026-03-02T10:00:00Z", "/a" + i, "", 0, i), i));
            }
            for (int i = 0; i < 2500; i++) {
                hits.add(withMicros(TestHits.hit(1, "2026-03-02T10:00:00Z", "/same" + i, "", 0, i), 5000));
            }
            for (int i = 0; i < 3000; i++) {
                hits.add(withMicros(TestHits.hit(1, "2026-03-02T10:00:00Z", "/b" + i, "", 0, i), 10_000 + i));
            }
            hits.add(TestHits.hit(1, "2026-03-03T09:00:00Z", "/e", "Signup", 0, 1));
            hits.add(TestHits.hit(1, "2026-02-28T22:59:59Z", "/outside", "", 0, 1));
            hits.add(TestHits.hit(2, "2026-03-02T10:00:00Z", "/other-site", "", 0, 1));
            HitWriter.store(stored.database(), hits);

            ExportPages pages = new ExportPages(stored.database());
            List<JsonNode> pageviews = walk(pages, ExportPages.Kind.PAGEVIEW, "2026-03-01", "2026-03-31");
            assertEquals(1999 + 2500 + 3000, pageviews.size(), "Berlin's March 1 starts at 23:00 UTC on Feb 28");
            Set<String> paths = new HashSet<>();
            pageviews.forEach(row -> paths.add(row.get(5).asText()));
            assertEquals(pageviews.size(), paths.size(), "no row twice");
            List<JsonNode> events = walk(pages, ExportPages.Kind.EVENT, "2026-03-01", "2026-03-31");
            assertEquals(1, events.size());
            assertEquals("Signup", events.getFirst().get(2).asText());
            assertEquals("{\"plan\":\"pro\"}", events.getFirst().get(3).asText());
        }
    }

    private static Hit withMicros(Hit hit, long micros) {
        Hit.Builder builder = hit.toBuilder();
        builder.timestampMicros = hit.timestampMicros() + micros;
        return builder.build();
    }

    @Test
    void aMemberOfAnotherTeamGetsNoSuchSite() {
        try (StoredHits stored = StoredHits.open()) {
            TestHits.execute(stored.database(), "INSERT INTO sites (id, owner_id, team_id, domain, name, timezone) VALUES (1, 1, 1, 'example.com', 'e', 'UTC')");
            DomainError refused = assertThrows(DomainError.class, () -> new ExportPages(stored.database())
                    .page(new ExportPages.Page(Scope.user(42), 1, "2026-03-01", "2026-03-31", ExportPages.Kind.PAGEVIEW, "")));
            assertEquals(DomainError.Kind.NOT_FOUND, refused.kind());
        }
    }

    @Test
    void requestsOverTenYearsOrInAnUnknownFormatAreRefused() {
        assertEquals(DomainError.Kind.INVALID, assertThrows(DomainError.class, () -> ExportRequest.parse(1, Optional.of("2010-01-01"),
                Optional.of("2020-01-02"), Optional.of("csv"))).kind());
        assertEquals("format must be csv, ndjson or parquet", assertThrows(DomainError.class, () -> ExportRequest.parse(1,
                Optional.of("2020-01-01"), Optional.of("2020-01-02"), Optional.of("xlsx"))).getMessage());
        assertEquals(ExportFormat.CSV, ExportRequest.parse(1, Optional.of("2010-01-01"), Optional.of("2020-01-01"), Optional.empty()).format());
    }

    @Test
    void eachFormatWritesTheRows() throws Exception {
        JsonNode rows = Json.MAPPER.readTree("""
                [["pageview","2026-03-02T10:00:00.000001Z","","","example.com","/a,\\"b\\"","","","","","","","","","DE","Firefox","128","Linux","","desktop","de",1280,7,9],
                 ["event","2026-03-02T10:00:01.000000Z","=cmd","{\\"k\\":1}","example.com","/","","","","","","","","","","","","","","","",0,8,10]]""");
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        try (ExportFormat.RowSink sink = ExportFormat.CSV.open(csv)) {
            sink.rows(rows);
            sink.finish();
        }
        List<String> lines = csv.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(String.join(",", ExportPages.COLUMNS), lines.get(0));
        assertTrue(lines.get(1).contains(",\"/a,\"\"b\"\"\","), lines.get(1));
        assertTrue(lines.get(2).startsWith("event,2026-03-02T10:00:01.000000Z,'=cmd,\"{\"\"k\"\":1}\","), "a formula is defused: " + lines.get(2));

        ByteArrayOutputStream ndjson = new ByteArrayOutputStream();
        try (ExportFormat.RowSink sink = ExportFormat.NDJSON.open(ndjson)) {
            sink.rows(rows);
            sink.finish();
        }
        List<String> objects = ndjson.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, objects.size());
        assertEquals("=cmd", Json.MAPPER.readTree(objects.get(1)).get("name").asText(), "kept exactly as stored");
        assertEquals(1280, Json.MAPPER.readTree(objects.get(0)).get("viewport_width").asInt());

        ByteArrayOutputStream parquet = new ByteArrayOutputStream();
        try (ExportFormat.RowSink sink = ExportFormat.PARQUET.open(parquet)) {
            sink.rows(rows);
            sink.finish();
        }
        Path file = Files.createTempFile("hk-export-", ".parquet");
        try (StoredHits reader = StoredHits.open()) {
            Files.write(file, parquet.toByteArray());
            assertEquals(1, TestHits.count(reader.database(), "SELECT count(*) FROM " + ArchivedMonths.readParquet(List.of(file.toString()))
                    + " WHERE \"timestamp\" = TIMESTAMP '2026-03-02 10:00:00.000001' AND path = '/a,\"b\"' AND visitor_id = 7"));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
