package io.hitkeep.auth;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.core.StoreClient;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which sessions are signed out before they expire: revoked token ids ({@code POST /api/logout}) and
 * per-user session epochs ({@code POST /api/user/sign-out-everywhere}: a token carrying a lower epoch is
 * refused). The writer keeps them; this cache answers every request without asking it. A revocation made
 * in this process counts from the next request on; one made by another process as soon as the writer's
 * announcement on {@code hk.auth.changes} arrives (milliseconds), and should that be lost, once this cache
 * refreshes, at most {@link #REFRESH} after it was stored (the refresh happens on a request that finds the
 * cache older than that). The same announcements drop revoked API keys from {@link ApiKeys}. Entries are only added until they expire, never dropped early, so a refresh
 * cannot undo a revocation made meanwhile. If the store does not answer a refresh, the cache keeps what
 * it knows (fail open: the writer being away must not sign everybody out). Thread-safe.
 */
public final class Revocations {
    /** Longest time a revocation made by another process goes unnoticed here. */
    public static final Duration REFRESH = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(Revocations.class.getName());
    /** One cache per store connection, so the account routes and the guard of one process share it. */
    private static final Map<StoreClient, Revocations> BY_STORE = Collections.synchronizedMap(new WeakHashMap<>());

    private final StoreClient store;
    private final ConcurrentHashMap<String, Long> revoked = new ConcurrentHashMap<>(); // jti -> expiry, epoch seconds
    private final ConcurrentHashMap<Long, Long> epochs = new ConcurrentHashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile long refreshedAt;
    private volatile boolean attempted;

    private Revocations(StoreClient store) {
        this.store = store;
    }

    /** The cache of this store connection, listening to the writer's announcements from its creation on. */
    public static Revocations of(StoreClient store) {
        return BY_STORE.computeIfAbsent(store, created -> {
            Revocations revocations = new Revocations(created);
            ApiKeys keys = ApiKeys.of(created);
            created.listen(io.hitkeep.core.Subjects.AUTH_CHANGES, notice -> {
                if (notice.has("revoked")) {
                    revocations.revoked.put(notice.get("revoked").asText(), notice.path("expires_at").asLong());
                } else if (notice.has("session_epoch")) {
                    revocations.knowEpoch(notice.path("user_id").asLong(), notice.get("session_epoch").asLong());
                } else if (notice.has("api_key")) {
                    keys.forget(notice.get("api_key").asLong());
                } else if (notice.has("keys_of")) {
                    keys.forgetUser(notice.get("keys_of").asLong());
                }
            });
            return revocations;
        });
    }

    /** Whether a verified session token is still good: not logged out, not older than a sign-out-everywhere. */
    public boolean allowed(SessionTokens.Session session) {
        refreshIfStale();
        return !revoked.containsKey(session.jti()) && session.epoch() >= epochs.getOrDefault(session.userId(), 0L);
    }

    /** The user's current session epoch as far as this process knows. */
    long epoch(long userId) {
        refreshIfStale();
        return epochs.getOrDefault(userId, 0L);
    }

    /** Signs out one session: stored first, so a failure to store is an error, not a silent no-op. */
    public void revoke(SessionTokens.Session session) {
        long expires = session.expires().getEpochSecond();
        store.call(AccountSecurity.REVOKE_SESSION, new AccountSecurity.RevokedSession(session.jti(), expires));
        revoked.put(session.jti(), expires);
    }

    /**
     * Uses up a single-use token id (a passkey ceremony): true the first time, in this process or any other,
     * false ever after until it expires. The writer checks and records in one write, so two replicas
     * finishing the same ceremony at once cannot both succeed.
     */
    public boolean useOnce(String jti, java.time.Instant expires) {
        if (revoked.containsKey(jti)) {
            return false;
        }
        long expiresAt = expires.getEpochSecond();
        boolean firstTime = store.call(AccountSecurity.REVOKE_SESSION, new AccountSecurity.RevokedSession(jti, expiresAt))
                .firstTime();
        revoked.put(jti, expiresAt);
        return firstTime;
    }

    /** Signs out every session of the user; returns the new epoch, which tokens issued from now on carry. */
    public long signOutEverywhere(long userId) {
        long epoch = store.call(AccountSecurity.SIGN_OUT_EVERYWHERE, new Accounts.UserRef(userId)).sessionEpoch();
        epochs.merge(userId, epoch, Math::max);
        return epoch;
    }

    /** Learns a user's epoch from the store (sign-in reads it with the user). */
    void knowEpoch(long userId, long epoch) {
        if (epoch > 0) {
            epochs.merge(userId, epoch, Math::max);
        }
    }

    private void refreshIfStale() {
        long now = System.nanoTime();
        if (attempted && now - refreshedAt < REFRESH.toNanos()) {
            return;
        }
        if (!refreshing.compareAndSet(false, true)) {
            return; // another request is refreshing; this one uses what is known
        }
        try {
            AccountSecurity.SessionState state = store.call(AccountSecurity.SESSION_STATE, StoreOperation.None.NONE);
            revoked.putAll(state.revoked());
            state.epochs().forEach((user, epoch) -> epochs.merge(user, epoch, Math::max));
            long nowSeconds = System.currentTimeMillis() / 1000;
            revoked.values().removeIf(expires -> expires < nowSeconds);
        } catch (DomainError e) {
            LOG.log(Level.WARNING, () -> "cannot refresh revoked sessions: " + e.getMessage());
        } finally {
            refreshedAt = now;
            attempted = true;
            refreshing.set(false);
        }
    }
}
