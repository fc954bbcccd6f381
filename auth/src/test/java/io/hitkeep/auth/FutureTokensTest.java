package io.hitkeep.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A token signed with our key but issued in the future was made with a stolen key or by a host whose clock
 * is broken: refused beyond {@link SessionTokens#CLOCK_SKEW}. Regression: one issued a year ahead was accepted.
 */
class FutureTokensTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final SessionTokens tokens = new SessionTokens(SECRET, Duration.ofHours(1));

    @ParameterizedTest(name = "issued {0} s from now: accepted {1}")
    @CsvSource({
            "0,          true",
            "-600,       true",
            "30,         true",
            "120,        false",
            "31536000,   false",
    })
    void issueTimeInTheFuture(long secondsAhead, boolean accepted) throws Exception {
        Instant issued = Instant.now().plusSeconds(secondsAhead);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("hitkeep").subject("42").issueTime(Date.from(issued))
                .expirationTime(Date.from(issued.plus(Duration.ofDays(400)))).jwtID("id").build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET));
        assertEquals(accepted ? Optional.of(42L) : Optional.empty(), tokens.verify(jwt.serialize()));
    }

    @ParameterizedTest(name = "without an issue time")
    @CsvSource("42")
    void aTokenWithoutIssueTimeIsRefused(long subject) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("hitkeep").subject(Long.toString(subject))
                .expirationTime(Date.from(Instant.now().plusSeconds(3600))).jwtID("id").build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET));
        assertEquals(Optional.empty(), tokens.verify(jwt.serialize()));
    }
}
