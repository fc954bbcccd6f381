package io.hitkeep.auth;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Account lockout that grows with failures: after {@link #FREE_FAILURES} failed sign-ins for one account
 * (keyed by e-mail, known or not, so the answer does not tell which exist), the next attempt must wait
 * 2 s, then 4 s, 8 s... up to {@link #MAX_WAIT_SECONDS}; a success forgets the failures. Kept in memory
 * per process: together with the per-address limit it bounds guessing, and a restart forgives. Thread-safe.
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    static final long MAX_WAIT_SECONDS = 15 * 60;
    private static final int MAX_KEYS = 100_000;

    private final Clock clock;
    private final ConcurrentHashMap<String, Failures> failures = new ConcurrentHashMap<>();

    private record Failures(int count, long lastMillis) {
    }

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Seconds this account must still wait before its next attempt; 0 when it may try now. */
    long waitSeconds(String account) {
        Failures state = failures.get(account);
        if (state == null || state.count < FREE_FAILURES) {
            return 0;
        }
        long waitMillis = Math.min(MAX_WAIT_SECONDS, 1L << Math.min(30, state.count - FREE_FAILURES + 1)) * 1000;
        long remaining = state.lastMillis + waitMillis - clock.millis();
        return remaining <= 0 ? 0 : (remaining + 999) / 1000;
    }

    void failed(String account) {
        if (failures.size() > MAX_KEYS) {
            long cutoff = clock.millis() - MAX_WAIT_SECONDS * 1000;
            failures.values().removeIf(state -> state.lastMillis < cutoff);
        }
        failures.merge(account, new Failures(1, clock.millis()),
                (old, fresh) -> new Failures(old.count + 1, fresh.lastMillis));
    }

    void succeeded(String account) {
        failures.remove(account);
    }
}
