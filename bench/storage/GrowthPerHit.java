import io.hitkeep.core.CompactIds;
import io.hitkeep.core.Settings;
import io.hitkeep.writer.Database;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The marginal size of a hit in hitkeep.db (issue 13: at most 25 MB per million hits): DAYS days of one site's
 * traffic, PER_DAY pageviews a day, appended in arrival order in batches of 250 (as the writer's HitWriter does:
 * DuckDB's Appender, one transaction per batch) into a fresh, migrated installation, with a CHECKPOINT at the end of
 * each day. Reported per day: the file's size, and DuckDB's used and free blocks (a checkpoint writes the row group
 * it appended to anew and frees its old blocks, which later checkpoints reuse, so the file grows in steps). The
 * marginal figures are the growth from the end of day 1 to the end of the last day divided by the hits in between,
 * so the empty database and the first partial blocks do not count.
 * <p>
 * The traffic: visitors with 1 to 6 pageviews a day (mean ~2.2) in one or two sessions, 300 pages (Zipf-like), a
 * few sources, 40 countries; visitor and session ids laid out as the gateways and the writer make them
 * ({@code CompactIds}: the UTC day, then 36 bits of a hash). Run with the jar on the class path:
 *   java --enable-native-access=ALL-UNNAMED -cp app/target/hitkeep.jar bench/storage/GrowthPerHit.java [DAYS] [PER_DAY]
 */
public class GrowthPerHit {
    private static final String[] SOURCES = {"", "", "", "", "google.com", "google.com", "news.ycombinator.com", "duckduckgo.com",
            "t.co", "reddit.com", "github.com", "bing.com"};
    private static final String[] BROWSERS = {"Chrome", "Chrome", "Chrome", "Safari", "Safari", "Firefox", "Edge", "Samsung Internet"};
    private static final String[] OSES = {"Windows", "macOS", "iOS", "Android", "Linux"};
    private static final String[] DEVICES = {"desktop", "desktop", "mobile", "tablet"};
    private static final String[] LANGUAGES = {"en", "en", "de", "fr", "es", "pt", "ja", "nl"};
    private static final int[] VIEWPORTS = {1280, 1440, 1920, 1366, 390, 412, 360, 820};
    private static final int BATCH = 250;

    public static void main(String[] args) throws Exception {
        int days = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int perDay = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        LocalDate first = LocalDate.of(2026, 1, 5);
        Path directory = Files.createTempDirectory("hk-growth-");
        long[] fileBytes = new long[days + 1];
        long[] usedBytes = new long[days + 1];
        long[] hitsAfter = new long[days + 1];
        System.out.printf("%d days of ~%,d pageviews, appended in batches of %d%n", days, perDay, BATCH);
        System.out.println("day        hits   file MiB   used MiB   free MiB");
        try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, directory.toString())));
             DuckDBConnection connection = database.connection()) {
            SplittableRandom random = new SplittableRandom(42);
            for (int d = 1; d <= days; d++) {
                List<Object[]> rows = day(first.plusDays(d - 1), perDay, random);
                for (int from = 0; from < rows.size(); from += BATCH) {
                    connection.setAutoCommit(false);
                    try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "hits")) {
                        for (Object[] row : rows.subList(from, Math.min(rows.size(), from + BATCH))) {
                            append(appender, row);
                        }
                    }
                    connection.commit();
                }
                connection.setAutoCommit(true);
                hitsAfter[d] = hitsAfter[d - 1] + rows.size();
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CHECKPOINT");
                    try (var size = statement.executeQuery("SELECT used_blocks * block_size, free_blocks * block_size FROM pragma_database_size()")) {
                        size.next();
                        usedBytes[d] = size.getLong(1);
                        fileBytes[d] = Files.size(directory.resolve("hitkeep.db"));
                        System.out.printf("%3d  %,10d  %9.1f  %9.1f  %9.1f%n", d, hitsAfter[d], fileBytes[d] / 1048576.0,
                                usedBytes[d] / 1048576.0, size.getLong(2) / 1048576.0);
                    }
                }
            }
        } finally {
            try (var files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        long hits = hitsAfter[days] - hitsAfter[1];
        System.out.printf("marginal, file growth: %.1f bytes per hit (MB per million hits)%n", (fileBytes[days] - fileBytes[1]) / (double) hits);
        System.out.printf("marginal, used blocks: %.1f bytes per hit (MB per million hits)%n", (usedBytes[days] - usedBytes[1]) / (double) hits);
    }

    /** One day's pageviews in arrival (time) order: {micros, path, source, country, browser, os, device, language, viewport, visitor, session}. */
    private static List<Object[]> day(LocalDate day, int pageviews, SplittableRandom random) {
        long midnight = ChronoUnit.MICROS.between(Instant.EPOCH, day.atStartOfDay(ZoneOffset.UTC).toInstant());
        List<Object[]> rows = new ArrayList<>(pageviews + 8);
        while (rows.size() < pageviews) {
            long visitor = CompactIds.visitor(day, random.nextLong());
            String country = "C" + (int) Math.floor(Math.pow(random.nextDouble(), 2.5) * 40);
            String browser = BROWSERS[random.nextInt(BROWSERS.length)];
            String os = OSES[random.nextInt(OSES.length)];
            String device = DEVICES[random.nextInt(DEVICES.length)];
            String language = LANGUAGES[random.nextInt(LANGUAGES.length)];
            int viewport = VIEWPORTS[random.nextInt(VIEWPORTS.length)];
            int sessions = random.nextInt(5) == 0 ? 2 : 1;
            for (int s = 0; s < sessions; s++) {
                long sessionHash = random.nextLong();
                String source = SOURCES[random.nextInt(SOURCES.length)];
                long at = midnight + random.nextLong(86_000L * 1_000_000);
                long session = CompactIds.session(at, sessionHash);
                int views = Math.min(6, 1 + (int) Math.floor(-Math.log(1 - random.nextDouble()) * 0.9));
                for (int v = 0; v < views; v++) {
                    String path = "/page/" + (int) Math.floor(Math.pow(random.nextDouble(), 3) * 300);
                    rows.add(new Object[] {at, path, v == 0 ? source : "", country, browser, os, device, language, viewport, visitor, session});
                    at += random.nextLong(5_000_000, 120_000_000);
                }
            }
        }
        rows.removeIf(row -> (long) row[0] >= midnight + 86_400_000_000L);
        rows.sort(Comparator.comparingLong(row -> (long) row[0]));
        return rows;
    }

    /** In the hits table's column order, as HitWriter appends a pageview. */
    private static void append(DuckDBAppender appender, Object[] row) throws Exception {
        String referrer = (String) row[2];
        appender.beginRow();
        appender.appendEpochMicros((long) row[0]);
        appender.append(1);                                               // site_id
        appender.append("example.com");                                   // hostname
        appender.append((String) row[1]);                                 // path
        appender.append(referrer);                                        // referrer_host
        appender.append(referrer.isEmpty() ? "" : referrer.split("\\.")[0]); // source
        for (int utm = 0; utm < 5; utm++) {
            appender.append("");
        }
        for (int column = 3; column <= 7; column++) {                     // country, browser, os, device, language
            appender.append((String) row[column]);
        }
        appender.append((int) row[8]);                                    // viewport_width
        appender.append((long) row[9]);                                   // visitor_id
        appender.append((long) row[10]);                                  // session_id
        appender.append("131");                                           // browser_version
        appender.append("");                                              // os_version
        appender.append(referrer.isEmpty() ? "" : "search");              // medium
        appender.endRow();
    }
}
