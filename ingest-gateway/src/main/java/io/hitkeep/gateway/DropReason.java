package io.hitkeep.gateway;

import io.hitkeep.core.Metrics;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Why the pipeline dropped a hit. A dropped hit still gets 202: the tracker must not learn that it was
 * filtered. Each reason has its own counter in {@code /metrics}.
 */
enum DropReason {
    DO_NOT_TRACK,
    BOT,
    UNKNOWN_SITE,
    /** The referrer is on the referrer-spam list ({@link Referrers#isSpam}). */
    REFERRER_SPAM,
    /** The client's address is in the site's excluded addresses (the owner's office, say). */
    EXCLUDED_IP,
    /** The page is under one of the site's excluded paths. */
    EXCLUDED_PATH;

    private final LongAdder counter = Metrics.counter("hitkeep_ingest_dropped_total",
            "reason=\"" + name().toLowerCase(Locale.ROOT) + "\"", "Hits dropped by the ingest pipeline, by reason");

    void count() {
        counter.increment();
    }
}
