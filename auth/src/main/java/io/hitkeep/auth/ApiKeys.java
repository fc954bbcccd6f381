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
 * Lookups are cached for a minute to keep server-side ingest off the store's back. Thread-safe.
 */
public final class ApiKeys {
    public static final String PREFIX = "hk_";
    private static final long CACHE_NANOS = 60_000_000_000L;

    private final StoreClient store;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(long userId, long until) {
    }

    public ApiKeys(StoreClient store) {
        this.store = store;
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
            long userId = store.call("api-keys.find", Json.object().put("key_hash", hash)).get("user_id").asLong();
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(hash, new Cached(userId, now + CACHE_NANOS));
            return Optional.of(userId);
        } catch (ApiError e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
