package io.hitkeep.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Settings;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionTokensTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_SECRET = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);

    private final SessionTokens tokens = new SessionTokens(SECRET, Duration.ofHours(1));
    private final List<Path> directories = new ArrayList<>();

    @AfterEach
    void removeDirectories() {
        directories.forEach(TempFiles::deleteTree);
    }

    private Path dataPath() {
        Path directory = TempFiles.directory("hk-auth-");
        directories.add(directory);
        return directory.resolve("data");
    }

    private static JWTClaimsSet.Builder validClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer("hitkeep").subject("42").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)));
    }

    private static String sign(JWSAlgorithm algorithm, byte[] secret, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void issueThenVerify() {
        String token = tokens.issue(42);

        assertEquals(Optional.of(42L), tokens.verify(token));
        assertEquals(3, token.split("\\.").length, "a signed JWT: header, payload, signature");
    }

    @Test
    void tokensAreDistinct() {
        assertTrue(!tokens.issue(42).equals(tokens.issue(42)), "each token has its own id");
    }

    @Test
    void expiredTokenIsRefused() {
        SessionTokens expired = new SessionTokens(SECRET, Duration.ofSeconds(-5));

        String token = expired.issue(42);

        assertEquals(Optional.empty(), expired.verify(token));
        assertEquals(Optional.empty(), tokens.verify(token), "the same key with a longer lifetime still refuses it");
    }

    @Test
    void tokenFromAnotherInstanceWithTheSameSecretIsAccepted() {
        assertEquals(Optional.of(7L), new SessionTokens(SECRET, Duration.ofMinutes(5)).verify(tokens.issue(7)));
    }

    @Test
    void tokenSignedWithAnotherKeyIsRefused() throws Exception {
        assertEquals(Optional.empty(), tokens.verify(new SessionTokens(OTHER_SECRET, Duration.ofHours(1)).issue(42)));
        assertEquals(Optional.empty(), tokens.verify(sign(JWSAlgorithm.HS256, OTHER_SECRET, validClaims().build())));
    }

    @Test
    void handMadeTokenWithOurKeyIsAccepted() throws Exception {
        // shows the refusals below are about the one thing each changes
        assertEquals(Optional.of(42L), tokens.verify(sign(JWSAlgorithm.HS256, SECRET, validClaims().build())));
    }

    @Test
    void algNoneIsRefused() {
        String unsecured = new PlainJWT(validClaims().build()).serialize();
        String withSignature = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + tokens.issue(42).split("\\.")[1]
                + "." + tokens.issue(42).split("\\.")[2];

        assertEquals(Optional.empty(), tokens.verify(unsecured));
        assertEquals(Optional.empty(), tokens.verify(withSignature));
    }

    @Test
    void otherHmacAlgorithmWithOurKeyIsRefused() throws Exception {
        byte[] longSecret = (new String(SECRET, StandardCharsets.UTF_8) + new String(OTHER_SECRET, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        SessionTokens tokens = new SessionTokens(longSecret, Duration.ofHours(1));

        assertEquals(Optional.empty(), tokens.verify(sign(JWSAlgorithm.HS512, longSecret, validClaims().build())));
        assertEquals(Optional.of(42L), tokens.verify(sign(JWSAlgorithm.HS256, longSecret, validClaims().build())));
    }

    @Test
    void tamperedPayloadIsRefused() {
        String[] parts = tokens.issue(42).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forged = payload.replace("\"sub\":\"42\"", "\"sub\":\"1\"");
        assertTrue(forged.contains("\"sub\":\"1\""), payload);

        assertEquals(Optional.empty(), tokens.verify(parts[0] + "." + base64Url(forged) + "." + parts[2]));
    }

    @Test
    void tamperedSignatureIsRefused() {
        String token = tokens.issue(42);
        char last = token.charAt(token.length() - 2);
        String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);

        assertEquals(Optional.empty(), tokens.verify(tampered));
    }

    @Test
    void wrongIssuerMissingExpiryAndOddSubjectAreRefused() throws Exception {
        assertEquals(Optional.empty(), tokens.verify(sign(JWSAlgorithm.HS256, SECRET, validClaims().issuer("someone").build())));
        assertEquals(Optional.empty(), tokens.verify(sign(JWSAlgorithm.HS256, SECRET, validClaims().expirationTime(null).build())));
        assertEquals(Optional.empty(), tokens.verify(sign(JWSAlgorithm.HS256, SECRET, validClaims().subject("admin").build())));
        assertEquals(Optional.empty(), tokens.verify(sign(JWSAlgorithm.HS256, SECRET, validClaims().subject(null).build())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "a.b.c", "..", "...", "eyJhbGciOiJIUzI1NiJ9", "eyJhbGciOiJIUzI1NiJ9.e30.",
            "eyJhbGciOiJIUzI1NiJ9.!!!.abc", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc"})
    void garbageIsRefused(String token) {
        assertEquals(Optional.empty(), tokens.verify(token));
    }

    @Test
    void shortSecretIsRefused() {
        assertThrows(HitKeepException.class, () -> new SessionTokens(Arrays.copyOf(SECRET, 31), Duration.ofHours(1)));

        HitKeepException error = assertThrows(HitKeepException.class,
                () -> new SessionTokens(Settings.of(Map.of(Settings.JWT_SECRET, "too short"))));
        assertTrue(error.getMessage().contains("32"), error.getMessage());
    }

    @Test
    void configuredSecretIsUsedAndNoFileWritten() {
        Path data = dataPath();
        Settings settings = Settings.of(Map.of(Settings.JWT_SECRET, new String(SECRET, StandardCharsets.UTF_8),
                Settings.DATA_PATH, data.toString(), "session-lifetime", "2h"));

        SessionTokens configured = new SessionTokens(settings);

        assertEquals(Optional.of(42L), tokens.verify(configured.issue(42)));
        assertEquals(Duration.ofHours(2), configured.lifetime());
        assertTrue(Files.notExists(data.resolve("jwt-secret")));
    }

    @Test
    void generatedSecretIsKeptInTheDataPathAndReused() throws Exception {
        Path data = dataPath();
        Settings settings = Settings.of(Map.of(Settings.DATA_PATH, data.toString()));

        SessionTokens first = new SessionTokens(settings);
        Path file = data.resolve("jwt-secret");
        String secret = Files.readString(file);
        SessionTokens second = new SessionTokens(settings);

        assertEquals(Optional.of(42L), second.verify(first.issue(42)));
        assertEquals(Optional.of(43L), first.verify(second.issue(43)));
        assertEquals(secret, Files.readString(file), "the second instance did not replace the secret");
        assertTrue(secret.strip().length() >= 32, secret);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        assertEquals(Duration.ofHours(12), first.lifetime(), "default lifetime");
        try (var leftovers = Files.list(data)) {
            assertEquals(List.of(file), leftovers.toList(), "no temporary files left behind");
        }
    }

    @Test
    void differentDataPathsHaveDifferentSecrets() {
        SessionTokens one = new SessionTokens(Settings.of(Map.of(Settings.DATA_PATH, dataPath().toString())));
        SessionTokens two = new SessionTokens(Settings.of(Map.of(Settings.DATA_PATH, dataPath().toString())));

        assertEquals(Optional.empty(), two.verify(one.issue(42)));
    }

    /**
     * Regression: roles sharing a data directory and starting together each generated a secret and renamed
     * it over the other's, so some of them signed with a key the file no longer held and their sessions
     * were refused everywhere else.
     */
    @Test
    void instancesStartingTogetherAgreeOnOneSecret() throws Exception {
        // the race needs luck to show: several rounds, each on a fresh data path
        for (int round = 0; round < 10; round++) {
            Settings settings = Settings.of(Map.of(Settings.DATA_PATH, dataPath().toString()));
            int count = 8;
            CountDownLatch go = new CountDownLatch(1);
            SessionTokens[] started = new SessionTokens[count];
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    started[index] = new SessionTokens(settings);
                }));
            }
            go.countDown();
            for (Thread thread : threads) {
                thread.join();
            }

            SessionTokens later = new SessionTokens(settings);
            for (int i = 0; i < count; i++) {
                assertEquals(Optional.of((long) i), later.verify(started[i].issue(i)),
                        "round " + round + ": instance " + i + " has another secret");
            }
        }
    }

    @Test
    void aRotatedKeyKeepsOldTokensValidUntilTheyExpire() {
        String old = new SessionTokens(OTHER_SECRET, Duration.ofHours(1)).issue(7);
        SessionTokens rotated = new SessionTokens(SECRET, java.util.List.of(OTHER_SECRET), Duration.ofHours(1), Duration.ofDays(30));
        assertEquals(java.util.Optional.of(7L), rotated.verify(old), "signed with the previous key: still accepted");
        assertEquals(java.util.Optional.empty(), tokens.verify(old), "without the previous key configured: refused");
        String fresh = rotated.issue(8);
        assertEquals(java.util.Optional.of(8L), tokens.verify(fresh), "new tokens are signed with the current key");
        assertEquals(java.util.Optional.empty(), new SessionTokens(OTHER_SECRET, Duration.ofHours(1)).verify(fresh));
    }

    @Test
    void shareAccessIsNeitherASessionNorAChallenge() {
        String access = tokens.issueShareAccess(5);
        assertEquals(java.util.Optional.of(5L), tokens.shareAccess(access));
        assertEquals(java.util.Optional.empty(), tokens.session(access));
        assertEquals(java.util.Optional.empty(), tokens.challenge(access));
        assertEquals(java.util.Optional.empty(), tokens.shareAccess(tokens.issue(5)));
    }

    @Test
    void aCeremonyCarriesItsPayloadAndServesOnlyItsOwnPurpose() {
        String ceremony = tokens.issueCeremony(Passkeys.LOGIN, 42, 3, "{\"request\":{}}");
        SessionTokens.Ceremony read = tokens.ceremony(ceremony, Passkeys.LOGIN).orElseThrow();
        assertEquals(42, read.userId());
        assertEquals(3, read.epoch());
        assertEquals("{\"request\":{}}", read.payload());
        assertTrue(read.expires().isBefore(Instant.now().plus(SessionTokens.CEREMONY_LIFETIME).plusSeconds(1)));
        assertEquals(Optional.empty(), tokens.ceremony(ceremony, Passkeys.REGISTRATION), "another purpose");
        assertEquals(Optional.empty(), tokens.session(ceremony), "not a session");
        assertEquals(Optional.empty(), tokens.challenge(ceremony), "not a second-factor challenge");
        assertEquals(Optional.empty(), tokens.ceremony(tokens.issue(42), Passkeys.LOGIN), "a session is not a ceremony");
        assertEquals(Optional.empty(), new SessionTokens(OTHER_SECRET, Duration.ofHours(1)).ceremony(ceremony, Passkeys.LOGIN));
    }
}
