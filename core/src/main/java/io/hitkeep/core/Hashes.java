package io.hitkeep.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers for visitor ids, session ids and API keys. Thread-safe. */
public final class Hashes {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new HitKeepException("SHA-256 missing from this JVM", e);
        }
    });

    private Hashes() {
    }

    /** The first 8 bytes of SHA-256 over the parts, each followed by a zero byte (so "ab"+"c" != "a"+"bc"). */
    public static long sha256Long(String... parts) {
        return ByteBuffer.wrap(digest(parts)).getLong();
    }

    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(digest(text));
    }

    private static byte[] digest(String... parts) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        for (String part : parts) {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return digest.digest();
    }
}
