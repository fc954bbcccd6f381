package io.hitkeep.core;

import java.time.LocalDate;
import java.util.concurrent.TimeUnit;

/**
 * Visitor and session ids laid out so that DuckDB stores them in fewer bytes: the UTC day in the high bits, 36 bits
 * of a hash below. The writer appends hits in arrival order, so the ids of one storage vector (2,048 rows) share
 * their day, and DuckDB's bit-packing (frame of reference: the vector's smallest value, then each value's
 * difference from it) keeps 36 bits of each instead of the 64 of a full hash. That took the file's growth from
 * 34.5 to 24.4 bytes per hit (BENCHMARKS.md, "Bytes per hit").
 *
 * <p>Ids need only be unique per site and day: a visitor id is salted per UTC day anyway, and a session keeps
 * the day it started in. Two visitors (or two sessions) of one site share an id on a day with a probability of
 * about n² / 2³⁷ for n of them: 0.0007 expected merges for 10,000 visitors a day, 0.07 for 100,000, 7 for a
 * million (0.0007 %). The day also keeps ids of different days apart, whatever their hashes.
 */
public final class CompactIds {
    /** Bits of the hash kept below the day. */
    public static final int HASH_BITS = 36;
    private static final long MICROS_PER_DAY = TimeUnit.DAYS.toMicros(1);

    private CompactIds() {
    }

    /** A visitor's id on a UTC day: the day, then 36 bits of the salted hash of (site, address, user agent). */
    public static long visitor(LocalDate utcDay, long hash) {
        return of(utcDay.toEpochDay(), hash);
    }

    /** A session's id: the UTC day of its first hit (microseconds since the epoch), then 36 bits of its hash. */
    public static long session(long startedMicros, long hash) {
        return of(dayOf(startedMicros), hash);
    }

    /** The id the same hash had as a session that started the UTC day before {@code micros}'s. */
    public static long sessionOfDayBefore(long micros, long hash) {
        return of(dayOf(micros) - 1, hash);
    }

    private static long dayOf(long micros) {
        return Math.floorDiv(micros, MICROS_PER_DAY);
    }

    private static long of(long epochDay, long hash) {
        // the top 36 bits of the hash (SHA-256's bits are alike); days before 1970 (never seen) stay distinct too
        return (epochDay << HASH_BITS) | (hash >>> (Long.SIZE - HASH_BITS));
    }
}
