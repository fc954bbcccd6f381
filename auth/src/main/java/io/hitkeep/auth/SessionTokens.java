package io.hitkeep.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.CharRuns;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Json;
import io.hitkeep.core.Settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The {@code hk_token} session: an HS256 JWT ({@link Hs256Jwt}) whose subject is the user id. The key is
 * {@code HITKEEP_JWT_SECRET}, else a random one generated once and kept in the data directory, so every
 * role that shares the data directory or the variable accepts the same tokens. Only HS256 is accepted:
 * {@code alg: none} and other algorithms are refused. Thread-safe.
 */
public final class SessionTokens {
    public static final String COOKIE = "hk_token";
    private static final String ISSUER = "hitkeep";
    private static final String CHALLENGE_ISSUER = "hitkeep-second-factor";
    private static final Duration CHALLENGE_LIFETIME = Duration.ofMinutes(5);
    private static final String SHARE_ISSUER = "hitkeep-share";
    private static final Duration SHARE_LIFETIME = Duration.ofHours(12);
    private static final String EPOCH = "sep";
    private static final String CEREMONY_ISSUER = "hitkeep-passkey-";
    static final String CEREMONY_PAYLOAD = "pay";
    static final Duration CEREMONY_LIFETIME = Duration.ofMinutes(5);
    private static final String MAIL_LINK_ISSUER = "hitkeep-mail-";
    /** A digest read a year later should still unsubscribe with one click. */
    static final Duration MAIL_LINK_LIFETIME = Duration.ofDays(400);
    /** How far another role's clock may run ahead of ours: a token issued later than that is forged. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final Duration lifetime;
    private final Duration rememberedLifetime;
    private final Hs256Jwt jwt;

    /**
     * Signs with {@code HITKEEP_JWT_SECRET} (or the generated one) and also accepts tokens signed with any
     * of {@code HITKEEP_JWT_PREVIOUS_SECRETS} (comma-separated): rotating the key keeps every session
     * valid until it expires. Sessions last {@code session-lifetime} (12 h), or {@code remember-lifetime}
     * (30 days) when the user asked to be remembered.
     */
    public SessionTokens(Settings settings) {
        this(secret(settings), previousSecrets(settings), settings.duration("session-lifetime", Duration.ofHours(12)),
                settings.duration("remember-lifetime", Duration.ofDays(30)));
    }

    SessionTokens(byte[] secret, Duration lifetime) {
        this(secret, List.of(), lifetime, Duration.ofDays(30));
    }

    SessionTokens(byte[] secret, List<byte[]> previous, Duration lifetime, Duration rememberedLifetime) {
        this.lifetime = lifetime;
        this.rememberedLifetime = rememberedLifetime;
        this.jwt = new Hs256Jwt(checked(secret), previous.stream().map(SessionTokens::checked).toList());
    }

    private static byte[] checked(byte[] secret) {
        if (secret.length < 32) {
            throw new HitKeepException("HITKEEP_JWT_SECRET (and every previous secret) must be at least 32 characters long");
        }
        return secret.clone();
    }

    static List<byte[]> previousSecrets(Settings settings) {
        return Arrays.stream(settings.value("jwt-previous-secrets", "").split(","))
                .map(String::strip).filter(value -> !value.isEmpty())
                .map(value -> value.getBytes(StandardCharsets.UTF_8)).toList();
    }

    static byte[] secret(Settings settings) {
        Optional<String> configured = settings.value(Settings.JWT_SECRET);
        if (configured.isPresent()) {
            return configured.get().getBytes(StandardCharsets.UTF_8);
        }
        Path file = settings.dataPath().resolve("jwt-secret");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] fresh = new byte[48];
                new SecureRandom().nextBytes(fresh);
                Path temporary = Files.createTempFile(file.getParent(), "jwt-secret", ".tmp");
                try {
                    Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // best effort on non-POSIX file systems
                }
                Files.writeString(temporary, Base64.getUrlEncoder().withoutPadding().encodeToString(fresh));
                try {
                    // a link, unlike a rename, fails when the file exists: the first role to get here wins and
                    // every other one reads its secret instead of replacing it
                    Files.createLink(file, temporary);
                } catch (FileAlreadyExistsException raced) {
                    // another role created it meanwhile: use that one
                } catch (IOException | UnsupportedOperationException noHardLinks) {
                    try {
                        Files.move(temporary, file); // without REPLACE_EXISTING: never replaces a secret
                    } catch (FileAlreadyExistsException raced) {
                        // as above
                    }
                } finally {
                    Files.deleteIfExists(temporary);
                }
            }
            return Files.readString(file).strip().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HitKeepException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    public Duration lifetime() {
        return lifetime;
    }

    public Duration rememberedLifetime() {
        return rememberedLifetime;
    }

    /** A verified session token: whose it is, its id (for revocation), its expiry and the session epoch it carries. */
    public record Session(long userId, String jti, Instant expires, long epoch) {}

    public String issue(long userId) {
        return issue(userId, 0);
    }

    /** A session token carrying the user's current session epoch (see {@link Revocations}). */
    public String issue(long userId, long epoch) {
        return sign(ISSUER, userId, lifetime, epoch);
    }

    /** A session token that lasts {@code remember-lifetime} ("remember me"). */
    public String issueRemembered(long userId, long epoch) {
        return sign(ISSUER, userId, rememberedLifetime, epoch);
    }

    /**
     * Proof that a visitor of a password-protected share link typed its password: subject is the link's id,
     * its own issuer so it is never a session. Sent back as {@code X-Share-Access}.
     */
    public String issueShareAccess(long linkId) {
        return sign(SHARE_ISSUER, linkId, SHARE_LIFETIME, 0);
    }

    /** The share link id a valid access token was issued for. */
    public Optional<Long> shareAccess(String token) {
        return parse(token, SHARE_ISSUER).map(Session::userId);
    }

    /**
     * The short-lived proof that a password was right, exchanged for a session at {@code /api/login/totp}.
     * Its own issuer, so it is never accepted as a session, nor a session as a challenge.
     */
    public String issueChallenge(long userId, long epoch) {
        return sign(CHALLENGE_ISSUER, userId, CHALLENGE_LIFETIME, epoch);
    }

    /**
     * A passkey ceremony in flight, kept by the browser instead of the server, so any replica can finish
     * what another started. Single use is up to the caller ({@link Revocations#useOnce}).
     *
     * @param purpose  what it is for ({@code registration}, {@code login}); a token of one purpose is refused as another
     * @param userId   whom it is for; 0 when anyone may finish it (a sign-in with a discoverable passkey)
     * @param payload  what the server asked the authenticator, opaque here
     */
    public record Ceremony(String purpose, long userId, long epoch, String jti, Instant expires, String payload) {}

    /** A signed ceremony token, valid for five minutes. */
    public String issueCeremony(String purpose, long userId, long epoch, String payload) {
        return sign(CEREMONY_ISSUER + purpose, userId, CEREMONY_LIFETIME, epoch, claims -> claims.put(CEREMONY_PAYLOAD, payload));
    }

    /** A valid, unexpired ceremony token of that purpose signed with our key; empty for anything else. */
    public Optional<Ceremony> ceremony(String token, String purpose) {
        return withPayload(token, CEREMONY_ISSUER, purpose);
    }

    /**
     * A link that a mail carries and that works without signing in (a digest's unsubscribe link): signed,
     * valid for {@link #MAIL_LINK_LIFETIME}, its own issuer per purpose so it is never a session or a ceremony.
     */
    public String issueMailLink(String purpose, long userId, String payload) {
        return sign(MAIL_LINK_ISSUER + purpose, userId, MAIL_LINK_LIFETIME, 0, claims -> claims.put(CEREMONY_PAYLOAD, payload));
    }

    /** A valid, unexpired mail link of that purpose signed with our key (or a previous one); empty for anything else. */
    public Optional<Ceremony> mailLink(String token, String purpose) {
        return withPayload(token, MAIL_LINK_ISSUER, purpose);
    }

    private Optional<Ceremony> withPayload(String token, String issuerPrefix, String purpose) {
        return claims(token, issuerPrefix + purpose).flatMap(claims -> {
            String payload = text(claims, CEREMONY_PAYLOAD);
            String jti = text(claims, "jti");
            if (payload == null || jti == null) {
                return Optional.empty();
            }
            return Optional.of(new Ceremony(purpose, userId(claims), epoch(claims), jti, expires(claims), payload));
        });
    }

    private String sign(String issuer, long userId, Duration validFor, long epoch) {
        return sign(issuer, userId, validFor, epoch, claims -> {
        });
    }

    /** Registered claims as RFC 7519 names them, times in whole seconds; {@code sep} is the session epoch. */
    private String sign(String issuer, long userId, Duration validFor, long epoch, Consumer<ObjectNode> extra) {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = Json.object()
                .put("iss", issuer)
                .put("sub", Long.toString(userId))
                .put("iat", now)
                .put("exp", now + validFor.toSeconds())
                .put("jti", UUID.randomUUID().toString())
                .put(EPOCH, epoch);
        extra.accept(claims);
        return jwt.sign(claims);
    }

    /** The user id of a valid, unexpired token signed with our key; empty for anything else. */
    public Optional<Long> verify(String token) {
        return session(token).map(Session::userId);
    }

    /** A valid, unexpired session token signed with our key; empty for anything else (revocation is not checked here). */
    public Optional<Session> session(String token) {
        return parse(token, ISSUER);
    }

    /** A valid, unexpired second-factor challenge; empty for anything else. */
    public Optional<Session> challenge(String token) {
        return parse(token, CHALLENGE_ISSUER);
    }

    private Optional<Session> parse(String token, String issuer) {
        return claims(token, issuer).map(claims -> {
            String jti = text(claims, "jti");
            return new Session(userId(claims), jti == null ? "" : jti, expires(claims), epoch(claims));
        });
    }

    /**
     * The claims of a token of that issuer, signed with our key with HS256, not expired, not issued in the
     * future (beyond {@link #CLOCK_SKEW}), and with a subject that is a number; empty for anything else.
     */
    private Optional<ObjectNode> claims(String token, String issuer) {
        return jwt.verify(token).filter(claims -> {
            JsonNode expires = claims.get("exp");
            JsonNode issued = claims.get("iat");
            long now = Instant.now().getEpochSecond();
            if (expires == null || !expires.isIntegralNumber() || expires.longValue() < now
                    || !issuer.equals(text(claims, "iss")) || userId(claims) < 0) {
                return false;
            }
            // every token we sign has its issue time; one from the future was made with a stolen key or a broken clock
            return issued != null && issued.isIntegralNumber() && issued.longValue() <= now + CLOCK_SKEW.toSeconds();
        });
    }

    /** A claim's text; null when it is missing or not a string. */
    private static String text(ObjectNode claims, String name) {
        JsonNode value = claims.get(name);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    /** The expiry of claims that {@link #claims} accepted (it checked that {@code exp} is a number). */
    private static Instant expires(ObjectNode claims) {
        return Instant.ofEpochSecond(claims.get("exp").longValue());
    }

    /** The subject as the id it is; -1 when it is missing or not a number (no token of ours). */
    private static long userId(ObjectNode claims) {
        String subject = text(claims, "sub");
        return subject != null && CharRuns.isRun(subject, 1, 18, '0', '9') ? Long.parseLong(subject) : -1;
    }

    private static long epoch(ObjectNode claims) {
        JsonNode epoch = claims.get(EPOCH);
        return epoch != null && epoch.isIntegralNumber() ? epoch.longValue() : 0;
    }
}
