package io.hitkeep.writer;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StatsRequest;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The chart buckets by the site's local time even where the offset is not whole hours: Kathmandu is
 * UTC+5:45, so 18:14 and 18:16 UTC fall on two local days (23:59 and 00:01).
 */
class StatsChartTest {
    @Test
    void quarterHourOffsetsSplitLocalDaysAndHoursRight() throws Exception {
        Path data = TempFiles.directory("hk-chart-");
        try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())));
             var writes = database.connection(); var statement = writes.createStatement()) {
            for (String time : List.of("2026-03-10 18:14:00", "2026-03-10 18:16:00", "2026-03-10 18:20:00")) {
                statement.execute("INSERT INTO hits (timestamp, site_id, hostname, path, referrer_host, source, utm_source, "
                        + "utm_medium, utm_campaign, utm_term, utm_content, country, browser, os, device, language, "
                        + "viewport_width, visitor_id, session_id) VALUES (TIMESTAMP '" + time + "', 1, 'k.example', '/', '', "
                        + "'', '', '', '', '', '', 'NP', 'Firefox', 'Linux', 'desktop', 'ne', 1280, "
                        + (time.endsWith("14:00") ? 1 : 2) + ", 1)");
            }
            Stats stats = new Stats(database);
            ZoneId kathmandu = ZoneId.of("Asia/Kathmandu");
            JsonNode days = stats.answer(new StatsRequest(0, 1, "2026-03-10", "2026-03-11", List.of(), 10, List.of("chart")), kathmandu);
            assertEquals(List.of("2026-03-10 1/1", "2026-03-11 2/1"), buckets(days.get("chart")));
            JsonNode hours = stats.answer(new StatsRequest(0, 1, "2026-03-11", "2026-03-11", List.of(), 10, List.of("chart")), kathmandu);
            List<String> nonEmpty = buckets(hours.get("chart")).stream().filter(bucket -> !bucket.endsWith(" 0/0")).toList();
            assertEquals(List.of("2026-03-11T00:00 2/1"), nonEmpty, "00:01 and 00:05 local");
        } finally {
            TempFiles.deleteTree(data);
        }
    }

    private static List<String> buckets(JsonNode chart) {
        List<String> buckets = new ArrayList<>();
        chart.forEach(bucket -> buckets.add(bucket.get("t").asText() + " " + bucket.get("pageviews").asLong() + "/"
                + bucket.get("visitors").asLong()));
        return buckets;
    }
}
