package io.hitkeep.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per key (usually a client address): {@code capacity} requests at once, refilled at
 * {@code perMinute}. Idle buckets are forgotten. Thread-safe.
 */
public final class RateLimiter {
    private static final int MAX_KEYS = 100_000;
    private final double capacity;
    private final double perNano;
    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final java.time.Clock clock;
    private final java.util.concurrent.atomic.AtomicLong lastSweep;

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    public RateLimiter(int capacity, int perMinute) {
        this(capacity, perMinute, java.time.Clock.systemUTC());
    }

    /** With the clock that refills the buckets (a test's own, so a slow machine does not refill them). */
    public RateLimiter(int capacity, int perMinute, java.time.Clock clock) {
        this.capacity = capacity;
        this.perNano = perMinute / 60e9;
        this.clock = clock;
        this.lastSweep = new java.util.concurrent.atomic.AtomicLong(now());
    }

    private long now() {
        java.time.Instant instant = clock.instant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** Takes a token for this key; false when the key is over its limit. */
    public boolean tryAcquire(String key) {
        long now = now();
        if (buckets.size() > MAX_KEYS) {
            sweep(now);
        }
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            // a known key (nearly every request) takes the read above: computeIfAbsent locks the key's bin
            bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
        }
        synchronized (bucket) {
            bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updated) * perNano);
            bucket.updated = now;
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        }
    }

    /**
     * Forgets buckets that have refilled (their key is as good as new), at most once a second: a flood of
     * fresh addresses must not make every request scan the whole map. If the flood keeps the map full of
     * busy buckets, it is emptied: limits restart, memory stays bounded.
     */
    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last < SWEEP_INTERVAL_NANOS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        buckets.entrySet().removeIf(entry -> entry.getValue().tokens + (now - entry.getValue().updated) * perNano >= capacity);
        if (buckets.size() > MAX_KEYS) {
            buckets.clear();
        }
    }

    /** How many keys are remembered (for tests). */
    int size() {
        return buckets.size();
    }

    /** Seconds until this key has a token again, for {@code Retry-After}. */
    public long retryAfterSeconds(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            return 0;
        }
        synchronized (bucket) {
            return (long) Math.ceil(Math.max(0, 1 - bucket.tokens) / perNano / 1e9);
        }
    }
}
