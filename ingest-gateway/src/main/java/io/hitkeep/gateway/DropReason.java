package io.hitkeep.gateway;

import io.hitkeep.core.Metrics;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Why the pipeline dropped a hit. A dropped hit still gets 202: the tracker must not learn that it was
 * filtered. Each reason has its own counter in {@code /metrics}: {@code hitkeep_ingest_dropped_total{reason="..."}}.
 */
enum DropReason {
    DO_NOT_TRACK,
    /**
     * A bot: counted per kind of bot where the kind is known ({@link Bots.Category#countDrop}), as
     * {@code {reason="bot",category="..."}}, and not again here, so the series of one reason add up to its drops.
     */
    BOT(false),
    UNKNOWN_SITE,
    /** The referrer is on the referrer-spam list ({@link Referrers#isSpam}). */
    REFERRER_SPAM,
    /** The client's address is in the site's excluded addresses (the owner's office, say). */
    EXCLUDED_IP,
    /** The page is under one of the site's excluded paths. */
    EXCLUDED_PATH;

    /** Null for {@link #BOT}, which is counted per category. */
    private final LongAdder counter;

    DropReason() {
        this(true);
    }

    DropReason(boolean countedHere) {
        this.counter = countedHere ? Metrics.counter("hitkeep_ingest_dropped_total",
                "reason=\"" + name().toLowerCase(Locale.ROOT) + "\"", "Hits dropped by the ingest pipeline, by reason") : null;
    }

    void count() {
        if (counter != null) {
            counter.increment();
        }
    }
}
