package io.hitkeep.auth;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.Hashes;
import io.hitkeep.core.Role;
import io.hitkeep.core.StoreClient;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys ({@code hk_...}, sent as {@code Authorization: Bearer}): generated here, shown once, stored
 * only as a SHA-256 hash. A key is 32 random bytes, so a fast hash is enough: there is nothing to guess.
 * Lookups are cached for 10 seconds to keep server-side ingest off the store's back. One instance per
 * store connection ({@link #of}), so the routes that revoke a key and the guard that checks keys share the
 * cache: a revoked key is refused at once in this process, and within the cache time in others.
 * Thread-safe.
 */
public final class ApiKeys {
    public static final String PREFIX = "hk_";
    private static final long CACHE_NANOS = 10_000_000_000L;
    private static final java.util.Map<StoreClient, ApiKeys> BY_STORE =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private final StoreClient store;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    /** What a key is allowed: whose it is, its team and the role it acts with there. */
    public record Key(long id, long userId, int teamId, Role role) {}

    /** A key just made: what is stored, plus the key itself, shown this once. */
    public record IssuedKey(long id, String name, String prefix, int teamId, Role role, String key) {}

    private record Cached(Key key, long until) {
    }

    ApiKeys(StoreClient store) {
        this.store = store;
    }

    /** The API keys of this store connection, shared by every route and guard that uses it. */
    public static ApiKeys of(StoreClient store) {
        return BY_STORE.computeIfAbsent(store, ApiKeys::new);
    }

    /** The user's keys (names and prefixes; the keys themselves are never stored). */
    public List<Accounts.ApiKey> list(long userId) {
        return store.call(Accounts.LIST_API_KEYS, new Accounts.UserRef(userId)).keys();
    }

    /**
     * Revokes a key: the caller's own, or any in a team the caller owns (404 otherwise), and forgets it
     * here at once.
     */
    public Accounts.RevokedApiKey revoke(Caller caller, long keyId) {
        Accounts.RevokedApiKey revoked = store.call(Accounts.REVOKE_API_KEY, new Accounts.ApiKeyRef(caller.scope(), keyId));
        forget(keyId);
        return revoked;
    }

    /** Drops a key from the cache, e.g. after its owner left the team. */
    public void forgetUser(long userId) {
        cache.values().removeIf(cached -> cached.key().userId() == userId);
    }

    void forget(long keyId) {
        cache.values().removeIf(cached -> cached.key().id() == keyId);
    }

    /**
     * A new key for the user in a team ({@code teamId} 0: their first) with a role ({@code role} null:
     * their own): returns the stored record plus {@code key}, which is never shown again.
     */
    public IssuedKey create(long userId, String name, int teamId, Role role) {
        String key = PREFIX + RandomTokens.next();
        Accounts.CreatedApiKey created = store.call(Accounts.CREATE_API_KEY,
                new Accounts.NewApiKey(userId, name, Hashes.sha256Hex(key), key.substring(0, 10), teamId, role));
        return new IssuedKey(created.id(), created.name(), created.prefix(), created.teamId(), created.role(), key);
    }

    /** The key's owner, team and role, or empty for an unknown or revoked key. */
    public Optional<Key> find(String key) {
        if (!key.startsWith(PREFIX) || key.length() > 100) {
            return Optional.empty();
        }
        String hash = Hashes.sha256Hex(key);
        long now = System.nanoTime();
        Cached cached = cache.get(hash);
        if (cached != null && cached.until - now > 0) {
            return Optional.of(cached.key());
        }
        try {
            Accounts.FoundKey found = store.call(Accounts.FIND_API_KEY, new Accounts.KeyHash(hash));
            Key answer = new Key(found.id(), found.userId(), found.teamId(), found.role());
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(hash, new Cached(answer, now + CACHE_NANOS));
            return Optional.of(answer);
        } catch (DomainError e) {
            if (e.kind() == DomainError.Kind.NOT_FOUND) {
                cache.remove(hash);
                return Optional.empty();
            }
            throw e;
        }
    }
}
