package io.hitkeep.auth;

import io.hitkeep.core.HitKeepException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TotpSecretsTest {
    private static final byte[] KEY = "totp-secrets-key-0123456789abcdef0123".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW_KEY = "totp-secrets-new-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final String SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    @Test
    void storedEncryptedAndReadBack() {
        TotpSecrets secrets = new TotpSecrets(KEY, List.of());
        String stored = secrets.encrypt(SECRET);
        assertTrue(stored.startsWith("enc1:"));
        assertFalse(stored.contains(SECRET));
        assertNotEquals(stored, secrets.encrypt(SECRET), "a fresh nonce each time");
        assertEquals(SECRET, secrets.decrypt(stored));
        assertEquals(SECRET, secrets.decrypt(SECRET), "a secret stored before encryption reads as it is");
    }

    @Test
    void aRotatedKeyStillReadsWhatTheOldOneWrote() {
        String stored = new TotpSecrets(KEY, List.of()).encrypt(SECRET);
        assertEquals(SECRET, new TotpSecrets(NEW_KEY, List.of(KEY)).decrypt(stored));
        assertThrows(HitKeepException.class, () -> new TotpSecrets(NEW_KEY, List.of()).decrypt(stored));
        String tampered = stored.substring(0, stored.length() - 2) + (stored.endsWith("A") ? "BB" : "AA");
        assertThrows(HitKeepException.class, () -> new TotpSecrets(KEY, List.of()).decrypt(tampered));
    }
}
