package io.hitkeep.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.ApiError;
import io.hitkeep.core.Hashes;
import io.hitkeep.core.Json;
import io.hitkeep.core.StoreClient;

import java.security.SecureRandom;
import java.util.Base64;
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
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(long userId, long keyId, long until) {
    }

    ApiKeys(StoreClient store) {
        this.store = store;
    }

    /** The API keys of this store connection, shared by every route and guard that uses it. */
    public static ApiKeys of(StoreClient store) {
        return BY_STORE.computeIfAbsent(store, ApiKeys::new);
    }

    /** The user's keys (names and prefixes; the keys themselves are never stored). */
    public JsonNode list(long userId) {
        return store.call("api-keys.list", Json.object().put("user_id", userId)).get("keys");
    }

    /** Revokes one of the user's keys (404 for another user's or a missing one) and forgets it here at once. */
    public JsonNode revoke(long userId, long keyId) {
        JsonNode revoked = store.call("api-keys.revoke", Json.object().put("user_id", userId).put("id", keyId));
        cache.values().removeIf(cached -> cached.keyId() == keyId);
        return revoked;
    }

    /** A new key for the user: returns the stored record plus {@code key}, which is never shown again. */
    public JsonNode create(long userId, String name) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        var request = Json.object().put("user_id", userId).put("name", name)
                .put("key_hash", Hashes.sha256Hex(key)).put("prefix", key.substring(0, 10));
        var created = (com.fasterxml.jackson.databind.node.ObjectNode) store.call("api-keys.create", request);
        return created.put("key", key);
    }

    /** The user the key belongs to, or empty for an unknown key. */
    public Optional<Long> userOf(String key) {
        if (!key.startsWith(PREFIX) || key.length() > 100) {
            return Optional.empty();
        }
        String hash = Hashes.sha256Hex(key);
        long now = System.nanoTime();
        Cached cached = cache.get(hash);
        if (cached != null && cached.until - now > 0) {
            return Optional.of(cached.userId);
        }
        try {
            JsonNode found = store.call("api-keys.find", Json.object().put("key_hash", hash));
            long userId = found.get("user_id").asLong();
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(hash, new Cached(userId, found.get("id").asLong(), now + CACHE_NANOS));
            return Optional.of(userId);
        } catch (ApiError e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
