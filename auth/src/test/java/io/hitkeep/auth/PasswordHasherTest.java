package io.hitkeep.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher();

    @Test
    void hashThenVerify() {
        String stored = hasher.hash("correct horse battery staple");

        assertTrue(hasher.verify("correct horse battery staple", stored));
        assertFalse(hasher.verify("correct horse battery stapl", stored));
        assertFalse(hasher.verify("Correct horse battery staple", stored));
        assertFalse(hasher.verify("", stored));
    }

    @Test
    void phcFormatWithOwaspCost() {
        String stored = hasher.hash("secret");

        assertTrue(stored.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), stored);
        // 16 bytes of salt and 32 of hash, unpadded base64
        assertTrue(stored.matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), stored);
    }

    /** Each hash holds 19 MiB of heap: concurrent sign-ins must not add up to the heap limit. */
    @Test
    void aSecondHashWaitsForTheFirst() {
        PasswordHasher.ONE_AT_A_TIME.acquireUninterruptibly();  // a hash in progress
        CompletableFuture<String> waiting;
        try {
            waiting = CompletableFuture.supplyAsync(() -> hasher.hash("waits its turn"));
            while (!PasswordHasher.ONE_AT_A_TIME.hasQueuedThreads()) {
                Thread.onSpinWait();
            }
            assertFalse(waiting.isDone());
        } finally {
            PasswordHasher.ONE_AT_A_TIME.release();
        }

        assertTrue(hasher.verify("waits its turn", waiting.join()));
        assertEquals(1, PasswordHasher.ONE_AT_A_TIME.availablePermits());
    }

    @Test
    void eachHashHasItsOwnSalt() {
        String first = hasher.hash("same password");
        String second = hasher.hash("same password");

        assertNotEquals(first, second);
        assertTrue(hasher.verify("same password", first));
        assertTrue(hasher.verify("same password", second));
    }

    @Test
    void unicodePasswords() {
        String stored = hasher.hash("pässwörd 🔑 パスワード");

        assertTrue(hasher.verify("pässwörd 🔑 パスワード", stored));
        // the same letters composed differently are different bytes
        assertFalse(hasher.verify("pa\u0308sswo\u0308rd 🔑 パスワード", stored));
    }

    /**
     * A hash from another implementation with the same parameters verifies: the reference vector of the
     * argon2 CLI, {@code echo -n password | argon2 somesalt -id -v 13 -m 16 -t 2 -p 1}.
     */
    @Test
    void verifiesAReferenceHash() {
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

        assertTrue(hasher.verify("password", reference));
        assertFalse(hasher.verify("passwore", reference));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty                      | ''",
            "plain text                 | hunter2",
            "bcrypt                     | $2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
            "argon2i variant            | $argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "missing hash               | $argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA",
            "empty hash                 | $argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$",
            "extra part                 | $argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc$x",
            "salt not base64            | $argon2id$v=19$m=19456,t=2,p=1$!!!!$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "hash not base64            | $argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$~~~~",
            "parameter not a number     | $argon2id$v=19$m=lots,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "unknown parameter          | $argon2id$v=19$m=19456,t=2,x=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            // regressions: each of these threw out of verify instead of answering false
            "parameter without value    | $argon2id$v=19$m,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "empty parameter list       | $argon2id$v=19$$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "no parallelism             | $argon2id$v=19$m=19456,t=2,p=0$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "no iterations              | $argon2id$v=19$m=19456,t=0,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
            "hash of two bytes          | $argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$AAA",
            "negative memory            | $argon2id$v=19$m=-1,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    })
    void malformedStoredHashNeverMatches(String name, String stored) {
        assertFalse(hasher.verify("password", stored));
    }

    @Test
    void verifyNothingTakesAboutAsLongAsVerify() {
        String stored = hasher.hash("password");
        // warm up both paths once
        hasher.verify("wrong", stored);
        hasher.verifyNothing("wrong");

        long start = System.nanoTime();
        hasher.verify("wrong", stored);
        long verify = System.nanoTime() - start;
        start = System.nanoTime();
        hasher.verifyNothing("wrong");
        long nothing = System.nanoTime() - start;

        assertTrue(nothing > verify / 4, "verifyNothing took " + nothing / 1_000_000 + " ms, verify " + verify / 1_000_000 + " ms");
    }
}
