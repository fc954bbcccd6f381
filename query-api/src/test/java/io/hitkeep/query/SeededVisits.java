package io.hitkeep.query;

import io.hitkeep.core.Hit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Visits for the tests that compare two ways of answering with the raw hits (the rollups, a filtered request):
 * 400 visits of 150 visitors between {@code fromDay} and {@code toDay} days after {@link #START}. A quarter start
 * in the last hour before a midnight (UTC, Berlin or Kathmandu) and run past it; some send engagement pings (one an
 * hour after the last page); a third carry a tracker session that the same visitor resumes days later. Visitor ids
 * are salted per UTC day, as the gateways make them: the same person is another id the next day.
 */
final class SeededVisits {
    static final Instant START = Instant.parse("2026-03-20T00:00:00Z");

    private SeededVisits() {
    }

    /**
     * The id of visitor {@code visitor} (a person) at {@code timestampMicros}: salted per UTC day, as the gateways
     * salt it, so the same person is another id the next UTC day.
     */
    static long visitorId(long visitor, long timestampMicros) {
        return visitor * 100_000 + Math.floorDiv(timestampMicros, 86_400_000_000L);
    }

    /**
     * With {@code variety}, every fifth visitor comes from {@code docs.} + {@code hostname}, and some pageviews are
     * followed by a Signup event with a plan; without, the same draws as before it existed (the tests' figures).
     */
    static List<Hit> of(Random random, int fromDay, int toDay, String hostname, boolean variety) {
        String[] pages = {"/", "/pricing", "/docs", "/blog", "/about", "/signup"};
        String[] countries = {"DE", "FR", "US", "NP"};
        String[] referrers = {"", "", "google.com", "news.ycombinator.com"};
        List<Hit> hits = new ArrayList<>();
        for (int visit = 0; visit < 400; visit++) {
            long visitor = 1 + random.nextInt(150);
            int day = fromDay + random.nextInt(toDay - fromDay);
            long minute = random.nextInt(4) == 0 ? day * 1440L + 1380 + random.nextInt(75) - 360 + random.nextInt(3) * 60
                    : day * 1440L + random.nextInt(1440);
            String session = random.nextInt(3) == 0 ? "tab-" + visitor + "-" + (visit % 7) : "";
            int views = 1 + (random.nextInt(3) == 0 ? 0 : random.nextInt(5));
            for (int view = 0; view < views; view++) {
                Hit.Builder hit = Hit.builder();
                hit.timestampMicros = ChronoUnit.MICROS.between(Instant.EPOCH, START.plusSeconds(60 * minute + random.nextInt(60)));
                hit.siteId = 1;
                hit.hostname = variety && visitor % 5 == 0 ? "docs." + hostname : hostname;
                hit.path = pages[random.nextInt(pages.length)];
                hit.referrerHost = view == 0 ? referrers[random.nextInt(referrers.length)] : "";
                hit.country = countries[(int) (visitor % countries.length)];
                hit.browser = visitor % 2 == 0 ? "Firefox" : "Chrome";
                hit.browserVersion = "12" + visitor % 3;
                hit.visitorId = visitorId(visitor, hit.timestampMicros);
                hit.sessionKey = session;
                Hit pageview = hit.build();
                hits.add(pageview);
                if (random.nextInt(4) == 0) {
                    Hit.Builder ping = pageview.asEngagement(30_000).toBuilder();
                    ping.timestampMicros += ChronoUnit.MICROS.between(Instant.EPOCH, Instant.EPOCH.plusSeconds(random.nextInt(2) == 0 ? 40 : 3600));
                    hits.add(ping.build());
                }
                if (variety && random.nextInt(6) == 0) {
                    Hit.Builder event = pageview.toBuilder();
                    event.timestampMicros += 1_000_000;
                    event.eventName = "Signup";
                    event.propsJson = random.nextBoolean() ? "{\"plan\":\"pro\"}" : "{\"plan\":\"free\"}";
                    hits.add(event.build());
                }
                minute += 1 + random.nextInt(12);
            }
        }
        hits.sort(java.util.Comparator.comparingLong(Hit::timestampMicros));
        return hits;
    }
}
