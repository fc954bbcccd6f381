package io.hitkeep.query;

import io.hitkeep.core.Hit;
import io.hitkeep.writer.StoredHits;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The live panel's answer: visitors, pages and sources of the last five minutes only, by visitors; direct
 * visits have no source and are not listed as one.
 */
class StatsLiveTest {
    @Test
    void pagesAndSourcesOfTheLastFiveMinutes() {
        try (StoredHits stored = StoredHits.open()) {
            Instant now = Instant.now();
            stored.add(hit(1, now.minusSeconds(60), "/", "Google"), hit(1, now.minusSeconds(50), "/pricing", "Google"),
                    hit(2, now.minusSeconds(40), "/pricing", ""), hit(3, now.minusSeconds(30), "/pricing", "Mastodon"),
                    hit(4, now.minusSeconds(20), "/blog", "Google"),
                    // ten minutes ago: not live any more
                    hit(5, now.minusSeconds(600), "/old", "Bing"), hit(6, now.minusSeconds(600), "/old", "Bing"));
            Stats.Live live = new Stats(stored.database()).live(1);
            assertEquals(4, live.liveVisitors());
            assertEquals(List.of("/pricing 3", "/ 1", "/blog 1"), rows(live.pages()));
            assertEquals(List.of("Google 2", "Mastodon 1"), rows(live.sources()));
        }
    }

    private static List<String> rows(List<Stats.LiveRow> list) {
        List<String> rows = new ArrayList<>();
        list.forEach(row -> rows.add(row.value() + " " + row.visitors()));
        return rows;
    }

    private static Hit hit(long visitor, Instant time, String path, String source) {
        Hit.Builder hit = Hit.builder();
        hit.timestampMicros = ChronoUnit.MICROS.between(Instant.EPOCH, time);
        hit.siteId = 1;
        hit.hostname = "live.example";
        hit.path = path;
        hit.source = source;
        hit.visitorId = visitor;
        return hit.build();
    }
}
