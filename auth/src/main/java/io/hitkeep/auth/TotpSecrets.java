package io.hitkeep.auth;

import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Settings;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * TOTP secrets encrypted at rest: AES-256-GCM under a key derived (HMAC-SHA256) from the session key
 * ({@code HITKEEP_JWT_SECRET} or the generated one), so a copy of {@code hitkeep.db} alone does not give
 * away anybody's second factor. Stored as {@code enc1:} + base64url(nonce, ciphertext). The previous
 * session keys ({@code HITKEEP_JWT_PREVIOUS_SECRETS}) still decrypt, so rotating the key strands nobody;
 * a secret stored before encryption existed (no prefix) is read as it is. Thread-safe.
 */
final class TotpSecrets {
    private static final String PREFIX = "enc1:";
    private static final byte[] PURPOSE = "hitkeep totp secret v1".getBytes(StandardCharsets.UTF_8);
    private static final int NONCE_BYTES = 12;

    private final SecretKeySpec current;
    private final List<SecretKeySpec> all;
    private final SecureRandom random = new SecureRandom();

    TotpSecrets(Settings settings) {
        this(SessionTokens.secret(settings), SessionTokens.previousSecrets(settings));
    }

    TotpSecrets(byte[] secret, List<byte[]> previous) {
        this.current = derive(secret);
        List<SecretKeySpec> keys = new ArrayList<>(List.of(current));
        previous.forEach(old -> keys.add(derive(old)));
        this.all = List.copyOf(keys);
    }

    String encrypt(String secret) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] stored = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, stored, NONCE_BYTES, sealed.length);
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(stored);
        } catch (GeneralSecurityException e) {
            throw new HitKeepException("cannot encrypt a TOTP secret: " + e.getMessage(), e);
        }
    }

    String decrypt(String stored) {
        if (!stored.startsWith(PREFIX)) {
            return stored;
        }
        byte[] bytes = Base64.getUrlDecoder().decode(stored.substring(PREFIX.length()));
        for (SecretKeySpec key : all) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, bytes, 0, NONCE_BYTES));
                return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
            } catch (GeneralSecurityException wrongKey) {
                // try the next (older) key
            }
        }
        throw new HitKeepException("a TOTP secret does not decrypt with the current or a previous JWT secret");
    }

    private static SecretKeySpec derive(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return new SecretKeySpec(mac.doFinal(PURPOSE), "AES");
        } catch (GeneralSecurityException e) {
            throw new HitKeepException("cannot derive the TOTP key: " + e.getMessage(), e);
        }
    }
}
