package io.hitkeep.auth;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Bearer secrets for links (invitations, password resets, share links): 32 random bytes, base64url. With
 * that much entropy a plain SHA-256 is the right thing to store: there is nothing to brute-force.
 */
public final class RandomTokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomTokens() {
    }

    public static String next() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
