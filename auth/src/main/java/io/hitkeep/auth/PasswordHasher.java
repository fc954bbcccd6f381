package io.hitkeep.auth;

import io.hitkeep.core.HeapRelease;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;

/**
 * argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}),
 * with OWASP's recommended minimum cost. Stored hashes keep their own parameters, so the cost can be
 * raised later without breaking old ones. Thread-safe; one hash at a time per JVM (see {@link #ONE_AT_A_TIME}).
 */
public final class PasswordHasher {
    private static final int MEMORY_KIB = 19_456;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();
    /**
     * Each hash fills {@code m} KiB of heap (19 MiB here, more for a stored hash with a higher cost): nine
     * sign-ins at once would fill the single binary's 160 MB heap, and the JVM exits when it runs out. One
     * at a time bounds that to one hash's memory; on a 2-core machine the CPU was the bound anyway.
     * Fair, so a waiting sign-in is not overtaken indefinitely.
     */
    static final Semaphore ONE_AT_A_TIME = new Semaphore(1, true);
    private final SecureRandom random = new SecureRandom();

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] hash = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, 32);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }

    /** Whether the password matches the stored hash; a malformed hash never matches. */
    public boolean verify(String password, String stored) {
        String[] parts = stored.split("\\$");
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (parts.length != 6 || !parts[1].equals("argon2id")) {
            return false;
        }
        try {
            int memory = 0;
            int iterations = 0;
            int parallelism = 0;
            for (String parameter : parts[3].split(",")) {
                int value = Integer.parseInt(parameter.substring(2));
                switch (parameter.charAt(0)) {
                    case 'm' -> memory = value;
                    case 't' -> iterations = value;
                    case 'p' -> parallelism = value;
                    default -> {
                        return false;
                    }
                }
            }
            byte[] salt = DECODER.decode(parts[4]);
            byte[] expected = DECODER.decode(parts[5]);
            byte[] actual = argon2(password, salt, memory, iterations, parallelism, expected.length);
            return MessageDigest.isEqual(expected, actual);
        } catch (IllegalArgumentException | IndexOutOfBoundsException | IllegalStateException e) {
            // bad numbers or base64; a parameter without "=value"; parameters bouncycastle refuses (p=0, t=0,
            // a hash shorter than 4 bytes)
            return false;
        }
    }

    /** Spends the time of a verification, so an unknown e-mail answers as slowly as a wrong password. */
    public void verifyNothing(String password) {
        argon2(password, new byte[16], MEMORY_KIB, ITERATIONS, PARALLELISM, 32);
    }

    private static byte[] argon2(String password, byte[] salt, int memory, int iterations, int parallelism, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        ONE_AT_A_TIME.acquireUninterruptibly();
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(parameters);
            byte[] hash = new byte[length];
            generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), hash);
            return hash;
        } finally {
            ONE_AT_A_TIME.release();
            HeapRelease.soon();
        }
    }
}
