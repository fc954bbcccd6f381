package io.hitkeep.auth;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Account lockout that grows with failures, counted twice so that a guesser elsewhere cannot lock the
 * owner out:
 * <ul>
 * <li>per account and client network (IPv4 /24, IPv6 /48): after {@link #FREE_FAILURES} failed attempts
 * from one network, the next from there must wait 2 s, then 4 s, 8 s... up to {@link #MAX_WAIT_SECONDS};
 * a success from that network forgets its failures;</li>
 * <li>per account from everywhere, slower: after {@link #FREE_FAILURES_EVERYWHERE} failures from any
 * networks, each further attempt waits 1 s, 2 s... up to {@link #MAX_WAIT_EVERYWHERE_SECONDS}, so guessing
 * spread over many networks stays slow. A network the account signed in from successfully within
 * {@link #KNOWN_NETWORK_MILLIS} is exempt: the owner at the office is never held up by a botnet.</li>
 * </ul>
 * Accounts are keyed by e-mail, known or not, so the answers do not tell which exist. Failures are
 * forgotten an hour after the longest wait has passed. Kept in memory per process: with the per-address rate limit it
 * bounds guessing, and a restart forgives. Thread-safe.
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 5;
    static final long MAX_WAIT_SECONDS = 15 * 60;
    static final int FREE_FAILURES_EVERYWHERE = 50;
    static final long MAX_WAIT_EVERYWHERE_SECONDS = 60;
    static final long KNOWN_NETWORK_MILLIS = 30L * 24 * 3600 * 1000;
    /** An hour after the longest wait has passed. */
    private static final long FORGET_AFTER_MILLIS = (MAX_WAIT_SECONDS + 3600) * 1000;
    private static final int MAX_KEYS = 100_000;

    private final Clock clock;
    private final ConcurrentHashMap<String, Failures> fromNetwork = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Failures> fromEverywhere = new ConcurrentHashMap<>();
    /** "account network" to the time of the last success from there. */
    private final ConcurrentHashMap<String, Long> knownNetworks = new ConcurrentHashMap<>();

    private record Failures(int count, long lastMillis) {
        /** Seconds still to wait after {@code free} failures, doubling from 2^{@code firstPower} s up to {@code max}. */
        long waitSeconds(int free, int firstPower, long max, long nowMillis) {
            if (count < free) {
                return 0;
            }
            long waitMillis = Math.min(max, 1L << Math.min(30, count - free + firstPower)) * 1000;
            long remaining = lastMillis + waitMillis - nowMillis;
            return remaining <= 0 ? 0 : (remaining + 999) / 1000;
        }
    }

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Seconds this account must still wait before its next attempt from this network; 0 when it may try now. */
    long waitSeconds(String account, String network) {
        long now = clock.millis();
        long here = current(fromNetwork, key(account, network), now)
                .map(failures -> failures.waitSeconds(FREE_FAILURES, 1, MAX_WAIT_SECONDS, now)).orElse(0L);
        Long knownSince = knownNetworks.get(key(account, network));
        if (knownSince != null && now - knownSince < KNOWN_NETWORK_MILLIS) {
            return here;
        }
        long everywhere = current(fromEverywhere, account, now)
                .map(failures -> failures.waitSeconds(FREE_FAILURES_EVERYWHERE, 0, MAX_WAIT_EVERYWHERE_SECONDS, now)).orElse(0L);
        return Math.max(here, everywhere);
    }

    void failed(String account, String network) {
        long now = clock.millis();
        if (fromNetwork.size() > MAX_KEYS || fromEverywhere.size() > MAX_KEYS) {
            long cutoff = now - FORGET_AFTER_MILLIS;
            fromNetwork.values().removeIf(state -> state.lastMillis < cutoff);
            fromEverywhere.values().removeIf(state -> state.lastMillis < cutoff);
        }
        count(fromNetwork, key(account, network), now);
        count(fromEverywhere, account, now);
    }

    /** Forgets this network's failures and remembers it as the account's; the failures from everywhere stay. */
    void succeeded(String account, String network) {
        fromNetwork.remove(key(account, network));
        if (knownNetworks.size() > MAX_KEYS) {
            long cutoff = clock.millis() - KNOWN_NETWORK_MILLIS;
            knownNetworks.values().removeIf(since -> since < cutoff);
        }
        knownNetworks.put(key(account, network), clock.millis());
    }

    private static java.util.Optional<Failures> current(ConcurrentHashMap<String, Failures> map, String key, long now) {
        Failures failures = map.get(key);
        return failures == null || now - failures.lastMillis > FORGET_AFTER_MILLIS
                ? java.util.Optional.empty() : java.util.Optional.of(failures);
    }

    private static void count(ConcurrentHashMap<String, Failures> map, String key, long now) {
        map.compute(key, (ignored, old) -> old == null || now - old.lastMillis > FORGET_AFTER_MILLIS
                ? new Failures(1, now) : new Failures(old.count + 1, now));
    }

    private static String key(String account, String network) {
        return account + " " + network;
    }
}
