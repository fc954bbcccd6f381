package io.hitkeep.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.Hit;
import io.hitkeep.writer.StoredHits;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The chart buckets by the site's local time even where the offset is not whole hours: Kathmandu is
 * UTC+5:45, so 18:14 and 18:16 UTC fall on two local days (23:59 and 00:01); the rollups' local days too.
 */
class StatsChartTest {
    @Test
    void quarterHourOffsetsSplitLocalDaysAndHoursRight() {
        try (StoredHits stored = StoredHits.open()) {
            for (String time : List.of("2026-03-10T18:14:00Z", "2026-03-10T18:16:00Z", "2026-03-10T18:20:00Z")) {
                Hit.Builder hit = Hit.builder();
                hit.timestampMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(time));
                hit.siteId = 1;
                hit.hostname = "k.example";
                hit.path = "/";
                hit.visitorId = time.contains("18:14") ? 1 : 2;
                hit.sessionKey = "s" + hit.visitorId;
                stored.add(hit.build());
            }
            ZoneId kathmandu = ZoneId.of("Asia/Kathmandu");
            for (Stats stats : StatsPaths.both(stored.database(), 1, kathmandu)) {
                JsonNode days = stats.answer(new StatsRequest(1, "2026-03-10", "2026-03-11", List.of(), 10, List.of("chart")), kathmandu);
                assertEquals(List.of("2026-03-10 1/1", "2026-03-11 2/1"), buckets(days.get("chart")));
                JsonNode hours = stats.answer(new StatsRequest(1, "2026-03-11", "2026-03-11", List.of(), 10, List.of("chart")), kathmandu);
                List<String> nonEmpty = buckets(hours.get("chart")).stream().filter(bucket -> !bucket.endsWith(" 0/0")).toList();
                assertEquals(List.of("2026-03-11T00:00 2/1"), nonEmpty, "00:01 and 00:05 local");
            }
        }
    }

    private static List<String> buckets(JsonNode chart) {
        List<String> buckets = new ArrayList<>();
        chart.forEach(bucket -> buckets.add(bucket.get("t").asText() + " " + bucket.get("pageviews").asLong() + "/"
                + bucket.get("visitors").asLong()));
        return buckets;
    }
}
