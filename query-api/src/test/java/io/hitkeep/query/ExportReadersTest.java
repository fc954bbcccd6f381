package io.hitkeep.query;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.Json;
import io.hitkeep.testing.StreamedZip;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two exports' files read into the rows an import sends, and the limits of the archive: rows as the
 * stats keep them, refusals with the file and line, chunks under their size, zip bombs refused early.
 */
class ExportReadersTest {
    private final List<Imports.Day> days = new ArrayList<>();
    private final List<Imports.ListRow> lists = new ArrayList<>();
    private final List<Imports.Pageview> pageviews = new ArrayList<>();
    private final List<Integer> chunkSizes = new ArrayList<>();

    private ImportChunks chunks(int chunkBytes) {
        return new ImportChunks((d, l, p) -> {
            days.addAll(d);
            lists.addAll(l);
            pageviews.addAll(p);
            chunkSizes.add(Json.bytes(new Imports.Chunk(null, 1, 1, d, l, p)).length);
        }, chunkBytes);
    }

    @Test
    void plausibleTablesBecomeDaysAndListRows() throws IOException {
        ImportChunks rows = chunks(1 << 20);
        PlausibleExport export = new PlausibleExport(rows);
        export.read("imported_visitors_20240301_20240302.csv", new StringReader(
                "\"date\",\"visitors\",\"pageviews\",\"bounces\",\"visits\",\"visit_duration\"\n\"2024-03-01\",10,30,4,12,600\n"));
        // an older export's browsers, without pageviews or versions: visits count
        export.read("imported_browsers_20240301_20240302.csv", new StringReader(
                "date,browser,visitors,visits,visit_duration,bounces\n2024-03-01,Firefox,6,7,400,2\n2024-03-01,(not set),1,1,0,1\n"));
        export.read("operating_systems_20240301_20240302.csv", new StringReader(
                "date,operating_system,operating_system_version,visitors,visits,visit_duration,bounces,pageviews\n"
                        + "2024-03-01,Windows,11,4,5,200,2,12\n"));
        export.read("imported_sources_20240301_20240302.csv", new StringReader(
                "date,source,referrer,utm_source,utm_medium,utm_campaign,utm_content,utm_term,pageviews,visitors,visits,visit_duration,bounces\n"
                        + "2024-03-01,Twitter,https://t.co/abc,tw,social,,,,10,4,5,200,1\n"));
        export.finish();
        rows.flush();
        assertEquals(List.of(new Imports.Day("2024-03-01", 10, 30, 12, 4, 600)), days);
        assertEquals(List.of("browsers Firefox 7/6", "os Windows 12/4", "os_versions Windows 11 12/4", "sources Twitter 10/4",
                "referrers t.co 10/4", "utm_sources tw 10/4", "utm_mediums social 10/4"),
                lists.stream().map(row -> row.list() + " " + row.value() + " " + row.pageviews() + "/" + row.visitors()).toList());
    }

    @Test
    void plausibleRefusalsNameTheFileAndTheLine() {
        PlausibleExport export = new PlausibleExport(chunks(1 << 20));
        DomainError header = assertThrows(DomainError.class, () -> export.read("imported_pages_20240301_20240302.csv",
                new StringReader("date,hostname,page,visitors\n2024-03-01,example.com,/,3\n")));
        assertEquals("imported_pages_20240301_20240302.csv line 1: the header lacks the column pageviews "
                + "(it has date,hostname,page,visitors)", header.getMessage());
        DomainError number = assertThrows(DomainError.class, () -> export.read("imported_visitors_20240301_20240302.csv",
                new StringReader("date,visitors,pageviews,bounces,visits,visit_duration\n2024-03-01,1,1,0,1,0\n\n2024-03-02,1,x1,0,1,0\n")));
        assertEquals("imported_visitors_20240301_20240302.csv line 4: column pageviews: 'x1' is not a whole number", number.getMessage());
        DomainError unknown = assertThrows(DomainError.class, () -> export.read("report.csv", new StringReader("a\n")));
        assertTrue(unknown.getMessage().startsWith("report.csv is not a file of a Plausible export"), unknown.getMessage());
        DomainError noVisitors = assertThrows(DomainError.class, new PlausibleExport(chunks(1 << 20))::finish);
        assertTrue(noVisitors.getMessage().contains("imported_visitors"), noVisitors.getMessage());
    }

    @Test
    void goatCounterRowsBecomePageviewsAndBotsAreLeftOut() throws IOException {
        ImportChunks rows = chunks(1 << 20);
        String header = "2Path,Title,Event,UserAgent,Browser,System,Session,Bot,Referrer,Referrer scheme,Screen size,Location,FirstVisit,Date\n";
        GoatCounterExport.read("gc.csv", new StringReader(header
                + "/a,\"A, \"\"quoted\"\"\",false,Mozilla,Chrome Mobile 120,Android 14,abc,0,www.Example.com/x,h,\"390,844,3\",US-TX,true,2024-05-01T10:00:00Z\n"
                + "/a,A,false,Googlebot,Googlebot 2,,def,7,,,,US,true,2024-05-01T10:00:00Z\n"
                + "click,,true,Mozilla,Firefox 125,Linux ,ghi,0,Hacker News,g,,,false,2024-05-01T12:00:00+02:00\n"), rows);
        rows.flush();
        assertEquals(2, pageviews.size(), "the bot's row is left out");
        assertEquals(new Imports.Pageview(1714557600000000L, "abc", "/a", false, "example.com", "", "", "US", "Chrome Mobile", "120",
                "Android", "14", "mobile"), pageviews.get(0));
        assertEquals(new Imports.Pageview(1714557600000000L, "ghi", "click", true, "", "Hacker News", "", "", "Firefox", "125",
                "Linux", "", ""), pageviews.get(1));
        // the help page's way of writing the version, apart
        GoatCounterExport.read("gc.csv", new StringReader("2," + header.substring(1)), rows);
    }

    @Test
    void goatCounterRefusals() {
        ImportChunks rows = chunks(1 << 20);
        DomainError version1 = assertThrows(DomainError.class, () -> GoatCounterExport.read("old.csv", new StringReader(
                "1Path,Title,Event,Bot,Session,FirstVisit,Referrer,Referrer scheme,Browser,Screen size,Location,Date\n"), rows));
        assertTrue(version1.getMessage().contains("version 1"), version1.getMessage());
        DomainError header = assertThrows(DomainError.class, () -> GoatCounterExport.read("x.csv", new StringReader("Path,Date\n"), rows));
        assertTrue(header.getMessage().startsWith("x.csv line 1: not the header of a GoatCounter export"), header.getMessage());
        DomainError date = assertThrows(DomainError.class, () -> GoatCounterExport.read("gc.csv", new StringReader(
                "2Path,Title,Event,UserAgent,Browser,System,Session,Bot,Referrer,Referrer scheme,Screen size,Location,FirstVisit,Date\n"
                        + "/,,false,,,,s,0,,,,,true,yesterday\n"), rows));
        assertEquals("gc.csv line 2: column Date: 'yesterday' is not a time like 2024-01-31T10:00:00Z", date.getMessage());
    }

    @Test
    void chunksStayUnderTheirSize() throws IOException {
        ImportChunks rows = chunks(16 * 1024);
        StringBuilder csv = new StringBuilder("date,page,visitors,pageviews\n");
        for (int i = 0; i < 3000; i++) {
            csv.append("2024-03-01,/page/").append(i).append(",1,2\n");
        }
        new PlausibleExport(rows).read("imported_pages_20240301_20240301.csv", new StringReader(csv.toString()));
        rows.flush();
        assertEquals(3000, lists.size());
        assertTrue(chunkSizes.size() > 5, "several chunks: " + chunkSizes);
        chunkSizes.forEach(size -> assertTrue(size < 17 * 1024, "a chunk of " + size + " bytes"));
        assertEquals(chunkSizes.size(), rows.chunks());
    }

    @Test
    void gzippedAndPlainCsvAreReadLikeZippedOnes() throws IOException {
        byte[] csv = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(csv);
        }
        Map<String, byte[]> uploads = Map.of("export.csv", csv, "export.csv.gz", gzip.toByteArray(),
                "export.zip", StreamedZip.of(Map.of("export.csv", csv)));
        for (Map.Entry<String, byte[]> upload : uploads.entrySet()) {
            List<String> read = new ArrayList<>();
            new ExportArchive(new ByteArrayInputStream(upload.getValue()), upload.getKey()).forEachFile((name, text) -> {
                StringBuilder content = new StringBuilder();
                text.transferTo(new java.io.Writer() {
                    @Override
                    public void write(char[] chars, int offset, int length) {
                        content.append(chars, offset, length);
                    }

                    @Override
                    public void flush() {
                    }

                    @Override
                    public void close() {
                    }
                });
                read.add(name + ":" + content);
            });
            assertEquals(List.of("export.csv:a,b\n1,2\n"), read);
        }
    }

    @Test
    void zipBombsAndTooManyFilesAreRefused() throws IOException {
        // 60 MB of one valid line packs into some 60 KB: refused once it unpacks past 100 times what came
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(bomb)) {
            zip.setLevel(9);
            zip.putNextEntry(new java.util.zip.ZipEntry("imported_visitors_20240101_20240101.csv"));
            byte[] lines = "2024-01-01,1,1,0,1,0\n".repeat(50_000).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 60; i++) {
                zip.write(lines);
            }
            zip.closeEntry();
        }
        long[] unpacked = {0};
        DomainError refused = assertThrows(DomainError.class, () -> new ExportArchive(new ByteArrayInputStream(bomb.toByteArray()),
                "bomb.zip").forEachFile((name, text) -> {
                    char[] buffer = new char[8192];
                    for (int read = text.read(buffer); read >= 0; read = text.read(buffer)) {
                        unpacked[0] += read;
                    }
                }));
        assertTrue(refused.getMessage().contains("zip bomb"), refused.getMessage());
        assertTrue(unpacked[0] < 100L * bomb.size(), "refused after " + unpacked[0] + " bytes of a " + bomb.size() + "-byte zip");

        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 65; i++) {
            many.put("f" + i + ".csv", new byte[] {'a', '\n'});
        }
        DomainError files = assertThrows(DomainError.class, () -> new ExportArchive(new ByteArrayInputStream(StreamedZip.of(many)),
                "many.zip").forEachFile((name, text) -> text.close()));
        assertEquals("the zip holds more than 64 files", files.getMessage());

        DomainError total = assertThrows(DomainError.class, () -> new ExportArchive(new ByteArrayInputStream(StreamedZip.of(
                Map.of("a.csv", new byte[5000]))), "small.zip", new ExportArchive.Limits(64, 4096, 100))
                .forEachFile((name, text) -> text.transferTo(java.io.Writer.nullWriter())));
        assertEquals(DomainError.Kind.TOO_LARGE, total.kind());
    }
}
