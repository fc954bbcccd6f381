package io.hitkeep.reports;

import io.hitkeep.core.Hit;
import io.hitkeep.writer.Database;

import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Hits, events and engagement pings for the reports tests, and counts of what a database holds. Stateless. */
public final class TestHits {
    private TestHits() {
    }

    /** A pageview (or, with an event name, an event; with engaged milliseconds, a ping) at {@code instant}. */
    public static Hit hit(int site, String instant, String path, String eventName, int engagedMillis, long visitor) {
        Hit.Builder hit = Hit.builder();
        hit.timestampMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant));
        hit.siteId = site;
        hit.hostname = "example.com";
        hit.path = path;
        hit.visitorId = visitor;
        hit.sessionKey = "s" + visitor;
        hit.country = "DE";
        hit.eventName = eventName;
        hit.propsJson = eventName.isEmpty() ? "" : "{\"plan\":\"pro\"}";
        hit.engagedMillis = engagedMillis;
        return hit.build();
    }

    /** {@code perDay} pageviews, one event and one ping on each day from {@code firstDay} for {@code days} days. */
    public static List<Hit> days(int site, String firstDay, int days, int perDay) {
        List<Hit> hits = new ArrayList<>();
        Instant start = Instant.parse(firstDay + "T00:00:00Z");
        for (int day = 0; day < days; day++) {
            for (int i = 0; i < perDay; i++) {
                String at = start.plus(day, ChronoUnit.DAYS).plusSeconds(60L * i + 7).toString();
                hits.add(hit(site, at, "/p" + (i % 5), "", 0, day * 1000L + i % 7));
            }
            String noon = start.plus(day, ChronoUnit.DAYS).plus(12, ChronoUnit.HOURS).toString();
            hits.add(hit(site, noon, "/p0", "Signup", 0, day * 1000L));
            hits.add(hit(site, noon, "/p0", "", 1500, day * 1000L));
        }
        return hits;
    }

    public static long count(Database database, String query) {
        return database.read(sql -> {
            try (Statement statement = sql.connection().createStatement(); ResultSet row = statement.executeQuery(query)) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    /** Rows of a site in the three tables together. */
    public static long rows(Database database, int site) {
        return count(database, "SELECT (SELECT count(*) FROM hits WHERE site_id = " + site + ") + (SELECT count(*) FROM events WHERE site_id = "
                + site + ") + (SELECT count(*) FROM engagements WHERE site_id = " + site + ")");
    }

    public static void execute(Database database, String sql) {
        database.write("test setup", connection -> {
            try (Statement statement = connection.connection().createStatement()) {
                statement.execute(sql);
            }
            return null;
        });
    }

}
