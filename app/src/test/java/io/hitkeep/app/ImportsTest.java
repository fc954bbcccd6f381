package io.hitkeep.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.testing.HttpSession;
import io.hitkeep.testing.StreamedZip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.hitkeep.testing.HttpSession.FIREFOX_LINUX;
import static io.hitkeep.testing.HttpSession.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Imports end to end through the single binary: a multi-file Plausible export (written from the columns
 * Plausible's exporter writes, zipped the way Plausible streams it) and a GoatCounter export (format 2,
 * gzipped as GoatCounter delivers it) uploaded to {@code POST /api/sites/{id}/imports}, then read back
 * through the stats API with exact numbers: summary, chart and every list the export has, with and
 * without {@code imported=exclude}, merged with tracked hits on the same days. Bad files are refused with
 * the file and line and leave nothing behind; deleting an import removes exactly its data.
 */
class ImportsTest {
    @RegisterExtension
    static final SingleBinary SERVER = new SingleBinary();
    private static final String GOATCOUNTER_HEADER =
            "2Path,Title,Event,UserAgent,Browser,System,Session,Bot,Referrer,Referrer scheme,Screen size,Location,FirstVisit,Date\n";
    private final HttpSession owner = SERVER.owner();

    private static byte[] resource(String name) {
        try (InputStream in = ImportsTest.class.getResourceAsStream("/imports/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final List<String> PLAUSIBLE_TABLES = List.of("visitors", "pages", "sources", "entry_pages", "exit_pages",
            "locations", "devices", "browsers", "operating_systems", "custom_events");

    /** The fixture's files by name, in the order Plausible's exporter lists them. */
    private static Map<String, byte[]> plausibleFiles() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String table : PLAUSIBLE_TABLES) {
            String name = "imported_" + table + "_20240301_20240303.csv";
            files.put(name, resource("plausible/" + name));
        }
        return files;
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(packed)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return packed.toByteArray();
    }

    private HttpSession.Response upload(int site, String source, String fileName, byte[] body) {
        return owner.upload("POST", "/api/sites/" + site + "/imports?source=" + source + "&filename="
                + URLEncoder.encode(fileName, StandardCharsets.UTF_8), body, "application/zip");
    }

    private JsonNode stats(int site, String from, String to, String... extra) {
        HttpSession.Response answer = owner.get("/api/sites/" + site + "/stats?from=" + from + "&to=" + to + String.join("", extra));
        assertEquals(200, answer.status(), answer.body());
        return answer.json();
    }

    private static List<String> chart(JsonNode stats) {
        List<String> buckets = new ArrayList<>();
        stats.get("chart").forEach(bucket -> buckets.add(bucket.get("t").asText() + " " + bucket.get("pageviews").asLong() + "/"
                + bucket.get("visitors").asLong()));
        return buckets;
    }

    private JsonNode imports(int site) {
        HttpSession.Response answer = owner.get("/api/sites/" + site + "/imports");
        assertEquals(200, answer.status(), answer.body());
        return answer.json();
    }

    @Test
    void aPlausibleExportAddsItsDaysToSummaryChartAndEveryList() {
        int site = owner.createSite("plausible-import.example", "UTC");
        HttpSession.Response created = upload(site, "plausible", "plausible_io_20240304.zip", StreamedZip.of(plausibleFiles()));
        assertEquals(201, created.status(), created.body());
        assertEquals("plausible", created.json().get("source").asText());
        assertEquals("2024-03-01", created.json().get("from").asText());
        assertEquals("2024-03-03", created.json().get("to").asText());
        assertEquals(88, created.json().get("pageviews").asLong());
        assertTrue(created.json().get("id").asInt() > 0);

        JsonNode stats = stats(site, "2024-02-29", "2024-03-04");
        JsonNode summary = stats.get("summary");
        assertEquals(88, summary.get("pageviews").asLong());
        assertEquals(35, summary.get("visitors").asLong(), "the sum of each day's visitors");
        assertEquals(43, summary.get("sessions").asLong());
        assertEquals(25.6, summary.get("bounce_rate").asDouble(), "11 bounces of 43 visits");
        assertEquals(51.6, summary.get("avg_session_duration").asDouble(), "2220 s over 43 visits");
        assertEquals(2.0, summary.get("pages_per_session").asDouble());
        assertTrue(summary.get("imported").asBoolean());
        assertEquals(3, stats.get("imported").get("days").asInt());
        assertEquals("2024-03-01", stats.get("imported").get("from").asText());
        assertEquals(List.of("2024-02-29 0/0", "2024-03-01 30/10", "2024-03-02 50/20", "2024-03-03 8/5", "2024-03-04 0/0"), chart(stats));
        assertEquals(List.of("/ 46/23", "/pricing 30/9", "/blog 7/3", "/docs 5/3"), list(stats, "pages"));
        assertEquals(List.of("/ 35/31", "/docs 5/5", "/pricing 3/2"), list(stats, "entry_pages"), "entrances");
        assertEquals(List.of("/pricing 33/27", "/blog 6/5", "/ 4/3"), list(stats, "exit_pages"), "exits");
        assertEquals(List.of("Google 32/12", "Twitter 10/4", "Newsletter 3/2"), list(stats, "sources"), "direct has no source");
        assertEquals(List.of("google.com 32/12", "t.co 10/4"), list(stats, "referrers"));
        assertEquals(List.of("twitter 10/4", "newsletter 3/2"), list(stats, "utm_sources"));
        assertEquals(List.of("social 10/4", "email 3/2"), list(stats, "utm_mediums"));
        assertEquals(List.of("launch 10/4", "march 3/2"), list(stats, "utm_campaigns"));
        assertEquals(List.of("DE 48/18", "FR 20/8", "US 20/9"), list(stats, "countries"));
        assertEquals(List.of("desktop 60/22", "mobile 18/8", "tablet 10/5"), list(stats, "devices"), "a laptop is a desktop");
        assertEquals(List.of("Chrome 62/24", "Firefox 18/6", "Safari 8/5"), list(stats, "browsers"));
        assertEquals(List.of("Chrome 122.0 42/16", "Chrome 121.0 20/8", "Firefox 123.0 18/6"), list(stats, "browser_versions"));
        assertEquals(List.of("Windows 62/24", "GNU/Linux 18/6", "iOS 8/5"), list(stats, "os"));
        assertEquals(List.of("Windows 10 50/20", "Windows 11 12/4", "iOS 17.3 8/5"), list(stats, "os_versions"));
        assertEquals(List.of("Outbound Link: Click 6/5", "Signup 6/5"), list(stats, "events"));
        assertEquals(List.of(), list(stats, "languages"), "the export has no languages");

        assertEquals(List.of("/ 46/23", "/pricing 30/9"), list(stats(site, "2024-03-01", "2024-03-03", "&limit=2"), "pages"));
        JsonNode oneDay = stats(site, "2024-03-02", "2024-03-02");
        assertEquals(50, oneDay.get("summary").get("pageviews").asLong());
        assertEquals(20, oneDay.get("summary").get("visitors").asLong());
        assertTrue(chart(oneDay).stream().allMatch(bucket -> bucket.endsWith(" 0/0")), "an hourly chart has no imported hours");

        JsonNode excluded = stats(site, "2024-02-29", "2024-03-04", "&imported=exclude");
        assertEquals(0, excluded.get("summary").get("pageviews").asLong());
        assertEquals(0, excluded.get("summary").get("visitors").asLong());
        assertFalse(excluded.get("summary").get("imported").asBoolean());
        assertEquals(List.of(), list(excluded, "pages"));
        assertTrue(chart(excluded).stream().allMatch(bucket -> bucket.endsWith(" 0/0")));
        owner.get("/api/sites/" + site + "/stats?from=2024-03-01&to=2024-03-03&imported=maybe").assertJsonError(400);

        JsonNode filtered = stats(site, "2024-03-01", "2024-03-03", "&filter=page:/pricing");
        assertEquals(0, filtered.get("summary").get("pageviews").asLong(), "imported data has no breakdown by page");
        assertFalse(filtered.get("summary").get("imported").asBoolean());
        assertTrue(filtered.get("imported").get("note").asText().contains("filter"), filtered.get("imported").toString());

        JsonNode listed = imports(site);
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("done", listed.get(0).get("status").asText());
        assertEquals("plausible_io_20240304.zip", listed.get(0).get("file_name").asText());
        assertEquals(88, listed.get(0).get("pageviews").asLong());
    }

    @Test
    void aGoatCounterExportCountsSessionsOnTheSitesDays() {
        // Berlin is UTC+2 in May: 22:30 UTC on the 1st is past midnight, on the 2nd
        int site = owner.createSite("goatcounter-import.example", "Europe/Berlin");
        HttpSession.Response created = upload(site, "goatcounter", "goatcounter-export-site-20240503.csv.gz",
                gzip(resource("goatcounter-export.csv")));
        assertEquals(201, created.status(), created.body());
        assertEquals("2024-05-01", created.json().get("from").asText());
        assertEquals("2024-05-02", created.json().get("to").asText());
        assertEquals(7, created.json().get("pageviews").asLong(), "the bot's pageview and the event are not pageviews");

        JsonNode stats = stats(site, "2024-05-01", "2024-05-02");
        JsonNode summary = stats.get("summary");
        assertEquals(7, summary.get("pageviews").asLong());
        assertEquals(5, summary.get("visitors").asLong(), "two sessions on the 1st, three on the 2nd");
        assertEquals(5, summary.get("sessions").asLong());
        assertEquals(60.0, summary.get("bounce_rate").asDouble(), "3 one-page visits of 5");
        assertEquals(180.0, summary.get("avg_session_duration").asDouble(), "300 s and 600 s over 5 visits");
        assertEquals(1.4, summary.get("pages_per_session").asDouble());
        assertEquals(List.of("2024-05-01 3/2", "2024-05-02 4/3"), chart(stats));
        assertEquals(List.of("/ 3/3", "/pricing 2/2", "/docs 1/1", "/docs/api 1/1"), list(stats, "pages"));
        assertEquals(List.of("/ 3/3", "/docs 1/1", "/pricing 1/1"), list(stats, "entry_pages"));
        assertEquals(List.of("/ 2/2", "/pricing 2/2", "/docs/api 1/1"), list(stats, "exit_pages"));
        assertEquals(List.of("news.ycombinator.com 1/1"), list(stats, "referrers"));
        assertEquals(List.of("Hacker News 1/1"), list(stats, "sources"));
        assertEquals(List.of("newsletter 1/1"), list(stats, "utm_sources"));
        assertEquals(List.of("DE 3/2", "FR 2/1", "US 1/1"), list(stats, "countries"));
        assertEquals(List.of("Firefox 3/2", "Safari 2/1", "Chrome 1/1", "Edge 1/1"), list(stats, "browsers"));
        assertEquals(List.of("Firefox 125 3/2", "Safari 17 2/1", "Chrome 124 1/1", "Edge 124 1/1"), list(stats, "browser_versions"));
        assertEquals(List.of("Linux 3/2", "Windows 2/2", "macOS 2/1"), list(stats, "os"));
        assertEquals(List.of("macOS 14 2/1", "Windows 10 1/1", "Windows 11 1/1"), list(stats, "os_versions"));
        assertEquals(List.of("desktop 3/2", "tablet 2/1", "mobile 1/1"), list(stats, "devices"));
        assertEquals(List.of("signup-click 1/1"), list(stats, "events"));
    }

    @Test
    void trackedAndImportedDaysAddUp() {
        int site = owner.createSite("mixed-import.example", "UTC");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate yesterday = today.minusDays(1);
        for (String page : List.of("/", "/pricing")) {
            assertEquals(202, owner.pageview(FIREFOX_LINUX, "203.0.113.7", Map.of("url", "https://mixed-import.example" + page)).status());
        }
        owner.awaitStats(site, today, stats -> stats.get("summary").get("pageviews").asLong() == 2);

        String day = yesterday.toString().replace("-", "") + "_" + today.toString().replace("-", "");
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("imported_visitors_" + day + ".csv", ("date,visitors,pageviews,bounces,visits,visit_duration\n"
                + yesterday + ",5,9,3,6,60\n" + today + ",2,3,1,2,30\n").getBytes(StandardCharsets.UTF_8));
        files.put("imported_pages_" + day + ".csv", ("date,hostname,page,visits,visitors,pageviews\n" + yesterday
                + ",x,/pricing,6,5,9\n" + today + ",x,/,2,2,2\n" + today + ",x,/about,1,1,1\n").getBytes(StandardCharsets.UTF_8));
        HttpSession.Response created = upload(site, "plausible", "recent.zip", StreamedZip.of(files));
        assertEquals(201, created.status(), created.body());
        assertEquals(1, created.json().get("tracked_days").asInt(), "today has tracked pageviews too");

        JsonNode stats = stats(site, yesterday.toString(), today.toString());
        JsonNode summary = stats.get("summary");
        assertEquals(14, summary.get("pageviews").asLong());
        assertEquals(8, summary.get("visitors").asLong());
        assertEquals(9, summary.get("sessions").asLong());
        assertEquals(44.4, summary.get("bounce_rate").asDouble(), "4 imported bounces of 9 visits; the tracked one saw two pages");
        assertEquals(List.of(yesterday + " 9/5", today + " 5/3"), chart(stats));
        assertEquals(List.of("/pricing 10/6", "/ 3/3", "/about 1/1"), list(stats, "pages"));
        JsonNode tracked = stats(site, yesterday.toString(), today.toString(), "&imported=exclude");
        assertEquals(2, tracked.get("summary").get("pageviews").asLong());
        double trackedSeconds = tracked.get("summary").get("avg_session_duration").asDouble();
        assertEquals(Math.round((trackedSeconds + 90) / 9 * 10) / 10.0, summary.get("avg_session_duration").asDouble(),
                "the tracked visit's seconds and 90 imported ones over 9 visits");
        assertEquals(List.of("/ 1/1", "/pricing 1/1"), list(tracked, "pages"));
    }

    @Test
    void deletingAnImportRemovesExactlyItsData() {
        int site = owner.createSite("two-imports.example", "UTC");
        int plausible = upload(site, "plausible", "p.zip", StreamedZip.of(plausibleFiles())).json().get("id").asInt();
        int goatcounter = upload(site, "goatcounter", "gc.csv", resource("goatcounter-export.csv")).json().get("id").asInt();
        assertEquals(88 + 7, stats(site, "2024-03-01", "2024-05-31").get("summary").get("pageviews").asLong());
        JsonNode goatcounterAlone = stats(site, "2024-05-01", "2024-05-02");

        HttpSession.Response again = upload(site, "plausible", "p.zip", StreamedZip.of(plausibleFiles()));
        again.assertJsonError(409);
        assertTrue(again.json().get("error").asText().contains("import " + plausible), again.body());
        assertEquals(2, imports(site).size(), "the refused import left nothing: " + imports(site));

        assertEquals(200, owner.json("DELETE", "/api/sites/" + site + "/imports/" + plausible, null).status());
        JsonNode after = stats(site, "2024-03-01", "2024-05-31");
        assertEquals(7, after.get("summary").get("pageviews").asLong());
        assertEquals(5, after.get("summary").get("visitors").asLong());
        assertEquals(list(goatcounterAlone, "pages"), list(after, "pages"));
        assertEquals(List.of(), list(stats(site, "2024-03-01", "2024-03-03"), "pages"));
        JsonNode left = imports(site);
        assertEquals(1, left.size());
        assertEquals(goatcounter, left.get(0).get("id").asInt());
        owner.json("DELETE", "/api/sites/" + site + "/imports/" + plausible, null).assertJsonError(404);
        owner.json("DELETE", "/api/sites/" + site + "/imports/" + goatcounter + "x", null).assertJsonError(404);

        int other = owner.createSite("not-these-imports.example", "UTC");
        owner.json("DELETE", "/api/sites/" + other + "/imports/" + goatcounter, null).assertJsonError(404);
        assertEquals(1, imports(site).size(), "another site's route cannot delete it");
    }

    @Test
    void badFilesAreRefusedWithTheFileAndLineAndLeaveNothing() {
        int site = owner.createSite("bad-imports.example", "UTC");

        Map<String, byte[]> wrongHeader = plausibleFiles();
        wrongHeader.put("imported_pages_20240301_20240303.csv",
                "\"date\",\"hostname\",\"page\",\"visits\",\"visitors\"\n\"2024-03-01\",\"x\",\"/\",1,1\n".getBytes(StandardCharsets.UTF_8));
        HttpSession.Response header = upload(site, "plausible", "p.zip", StreamedZip.of(wrongHeader));
        header.assertJsonError(400);
        assertEquals("imported_pages_20240301_20240303.csv line 1: the header lacks the column pageviews "
                + "(it has date,hostname,page,visits,visitors)", header.json().get("error").asText());

        // 5,000 good rows (some 600 KB of parsed rows: chunks reached the writer before the bad line)
        StringBuilder csv = new StringBuilder(GOATCOUNTER_HEADER);
        for (int i = 0; i < 5000; i++) {
            csv.append("/page-").append(i % 50).append(",,false,Mozilla,Firefox 125,Linux ,session-").append(i % 700)
                    .append(",0,example.org/").append(i).append(",h,\"1280,800,1\",NL,true,2024-06-0").append(1 + i % 5)
                    .append("T10:00:00Z\n");
        }
        csv.append("/page,,false,Mozilla,Firefox 125,Linux ,s,x,,,,,true,2024-06-01T10:00:00Z\n");
        HttpSession.Response number = upload(site, "goatcounter", "goatcounter.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        number.assertJsonError(400);
        assertEquals("goatcounter.csv line 5002: column Bot: 'x' is not a whole number", number.json().get("error").asText());

        // 60 MB of one valid line, deflated to some 60 KB
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bomb)) {
            zip.putNextEntry(new ZipEntry("imported_visitors_20240601_20240601.csv"));
            zip.write("date,visitors,pageviews,bounces,visits,visit_duration\n".getBytes(StandardCharsets.UTF_8));
            byte[] lines = "2024-06-01,1,1,0,1,0\n".repeat(50_000).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 60; i++) {
                zip.write(lines);
            }
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpSession.Response bombed = upload(site, "plausible", "bomb.zip", bomb.toByteArray());
        bombed.assertJsonError(400);
        assertTrue(bombed.json().get("error").asText().contains("zip bomb"), bombed.body());

        upload(site, "plausible", "export.csv", "date,visitors\n".getBytes(StandardCharsets.UTF_8)).assertJsonError(400);
        upload(site, "matomo", "export.zip", StreamedZip.of(plausibleFiles())).assertJsonError(400);
        upload(site, "goatcounter", "empty.csv", new byte[0]).assertJsonError(400);

        assertEquals(0, imports(site).size(), "nothing of a refused file is kept: " + imports(site));
        JsonNode stats = stats(site, "2024-03-01", "2024-06-30");
        assertEquals(0, stats.get("summary").get("pageviews").asLong());
        assertFalse(stats.get("summary").get("imported").asBoolean());
    }

    /** An API key of the owner, for raw requests. */
    private String ownerKey() {
        int team = owner.get("/api/teams").json().get(0).get("id").asInt();
        return owner.json("POST", "/api/user/api-keys", Map.of("name", "uploads", "team_id", team)).json().get("key").asText();
    }

    @Test
    void aSixtyMegabyteUploadIsRefusedWhileItStreamsIn() throws Exception {
        int site = owner.createSite("huge-import.example", "UTC");
        String key = ownerKey();
        long sixty = 60L * 1024 * 1024;

        // declared: refused before the body is read
        Answer declared = rawUpload(site, key, "Content-Length: " + sixty, body -> stream(body, sixty, "x".repeat(1024) + "\n", false));
        assertEquals(413, declared.status(), declared.text());
        assertTrue(declared.text().contains("\"error\""), declared.text());
        assertTrue(declared.sent() < sixty, "answered after " + declared.sent() + " bytes");

        // chunked, without a length: refused at the limit, while the rows (a bot's, so nothing reaches the writer) stream in
        String botRow = "/,,false,Mozilla,Googlebot 2,,s,7,,,,,true,2024-06-01T10:00:00Z\n";
        Answer chunked = rawUpload(site, key, "Transfer-Encoding: chunked", body -> {
            body.write(chunk(GOATCOUNTER_HEADER.getBytes(StandardCharsets.US_ASCII)));
            stream(body, sixty, botRow, true);
        });
        assertEquals(413, chunked.status(), chunked.text());
        assertTrue(chunked.text().contains("\"error\""), chunked.text());
        assertTrue(chunked.sent() < sixty, "answered after " + chunked.sent() + " bytes");
        assertEquals(0, imports(site).size(), imports(site).toString());
    }

    /** What came back on a raw connection, and how many body bytes were sent by then. */
    private record Answer(int status, String text, long sent) {
    }

    @FunctionalInterface
    private interface BodyWriter {
        void write(OutputStream body) throws IOException;
    }

    private static final AtomicLong SENT = new AtomicLong();

    /** Writes {@code total} bytes of {@code line} (as chunks when asked) until done or the server closes. */
    private static void stream(OutputStream body, long total, String line, boolean chunked) throws IOException {
        byte[] block = line.repeat(Math.max(1, 64 * 1024 / line.length())).getBytes(StandardCharsets.US_ASCII);
        while (SENT.get() < total) {
            byte[] part = SENT.get() + block.length > total ? java.util.Arrays.copyOf(block, (int) (total - SENT.get())) : block;
            body.write(chunked ? chunk(part) : part);
            SENT.addAndGet(part.length);
        }
        if (chunked) {
            body.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static byte[] chunk(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Sends the request's head, then the body on another thread while this one waits for the answer. */
    private static Answer rawUpload(int site, String key, String framing, BodyWriter writer) throws Exception {
        SENT.set(0);
        try (Socket socket = new Socket("127.0.0.1", SERVER.port())) {
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/sites/" + site + "/imports?source=goatcounter HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + key + "\r\nContent-Type: text/csv\r\n" + framing + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    writer.write(out);
                    out.flush();
                } catch (IOException closed) {
                    // the server refused and closed: expected
                }
            });
            String text = readAnswer(socket.getInputStream());
            long sent = SENT.get();
            socket.close();
            sender.join(60_000);
            int status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
            return new Answer(status, text, sent);
        }
    }

    /** The answer's head and body (to its Content-Length), or what came before the connection closed. */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (true) {
            int read;
            try {
                read = in.read(buffer);
            } catch (java.net.SocketException reset) {
                break;
            }
            if (read < 0) {
                break;
            }
            received.write(buffer, 0, read);
            String text = received.toString(StandardCharsets.ISO_8859_1);
            int headEnd = text.indexOf("\r\n\r\n");
            if (headEnd >= 0) {
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
                if (length.find() && text.length() >= headEnd + 4 + Integer.parseInt(length.group(1))) {
                    return text;
                }
            }
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }
}
