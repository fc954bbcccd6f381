package io.hitkeep.reports.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * When a job runs: every so often ({@link #every}) or once a day at a UTC time ({@link #dailyAt}). Also the
 * longest a failing job waits before its next attempt. Immutable.
 */
public sealed interface Schedule {
    /** The first run after {@code last} (the previous start, or the scheduler's start for the first run). */
    Instant next(Instant last);

    /**
     * The first run once this instance leads: at once for an interval (nothing is lost by running early),
     * the next time of day for a daily job.
     */
    default Instant first(Instant start) {
        return this instanceof Every ? start : next(start);
    }

    /** The longest wait between two attempts of a failing job. */
    Duration longestRetryWait();

    /** What the table shows: "every 30s", "daily at 03:00 UTC". */
    String describe();

    static Schedule every(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("a job's interval must be positive: " + interval);
        }
        return new Every(interval);
    }

    static Schedule dailyAt(LocalTime utc) {
        return new Daily(utc);
    }

    record Every(Duration interval) implements Schedule {
        @Override
        public Instant next(Instant last) {
            return last.plus(interval);
        }

        @Override
        public Duration longestRetryWait() {
            return interval;
        }

        @Override
        public String describe() {
            return "every " + interval.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
        }
    }

    record Daily(LocalTime utc) implements Schedule {
        @Override
        public Instant next(Instant last) {
            ZonedDateTime candidate = last.atZone(ZoneOffset.UTC).with(utc);
            return candidate.toInstant().isAfter(last) ? candidate.toInstant() : candidate.plusDays(1).toInstant();
        }

        @Override
        public Duration longestRetryWait() {
            return Duration.ofMinutes(30);
        }

        @Override
        public String describe() {
            return "daily at " + utc + " UTC";
        }
    }
}
