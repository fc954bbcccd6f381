package io.hitkeep.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TotpTest {
    /** RFC 6238 appendix B's SHA-1 key, "12345678901234567890". */
    private static final byte[] RFC_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final String RFC_SECRET = Totp.base32(RFC_KEY);

    /** RFC 6238 appendix B, SHA-1 rows; the RFC shows 8 digits, a 6-digit code is their last six. */
    @ParameterizedTest(name = "{0} s")
    @CsvSource({"59, 94287082", "1111111109, 07081804", "1111111111, 14050471", "1234567890, 89005924",
            "2000000000, 69279037", "20000000000, 65353130"})
    void rfc6238Vectors(long seconds, String eightDigits) {
        assertEquals(eightDigits.substring(2), Totp.code(RFC_KEY, Totp.step(Instant.ofEpochSecond(seconds))));
    }

    @Test
    void oneStepEitherWayIsAcceptedTwoAreNot() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        long step = Totp.step(now);
        for (long offset = -3; offset <= 3; offset++) {
            String code = Totp.code(RFC_KEY, step + offset);
            OptionalLong match = Totp.matchingStep(RFC_SECRET, code, now);
            if (Math.abs(offset) <= 1) {
                assertEquals(OptionalLong.of(step + offset), match, "offset " + offset);
            } else {
                assertTrue(match.isEmpty() || match.getAsLong() != step + offset, "offset " + offset);
            }
        }
        assertTrue(Totp.matchingStep(RFC_SECRET, "12345", now).isEmpty());
        assertTrue(Totp.matchingStep(RFC_SECRET, "abcdef", now).isEmpty());
    }

    @Test
    void base32RoundTripsAndSecretsAre32Characters() {
        assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", RFC_SECRET);
        assertArrayEquals(RFC_KEY, Totp.base32Decode(RFC_SECRET));
        assertEquals(32, Totp.newSecret().length());
    }

    @Test
    void uriIsWhatAuthenticatorAppsRead() {
        assertEquals("otpauth://totp/HitKeep%3Ame%40example.com?secret=ABC&issuer=HitKeep&algorithm=SHA1&digits=6&period=30",
                Totp.uri("me@example.com", "ABC"));
    }

    @Test
    void recoveryCodesAreDistinctAndTypedLoosely() {
        List<String> codes = Totp.newRecoveryCodes();
        assertEquals(10, new HashSet<>(codes).size());
        assertTrue(codes.get(0).matches("[a-z2-7]{5}-[a-z2-7]{5}"), codes.get(0));
        assertEquals(Totp.recoveryHash(codes.get(0)), Totp.recoveryHash(" " + codes.get(0).toUpperCase().replace("-", "") + " "));
    }
}
