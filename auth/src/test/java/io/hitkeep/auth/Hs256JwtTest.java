package io.hitkeep.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.hitkeep.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token format itself; what the claims must say is {@link SessionTokensTest}'s. */
class Hs256JwtTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef-hs256".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OLD_KEY = "fedcba9876543210fedcba9876543210-older".getBytes(StandardCharsets.UTF_8);
    private final Hs256Jwt jwt = new Hs256Jwt(KEY, List.of(OLD_KEY));

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A token with exactly this header and payload, signed with {@code key}: what a forger with our key could make. */
    private static String handMade(String header, String payload, byte[] key) throws Exception {
        String signingInput = base64Url(header) + "." + base64Url(payload);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static ObjectNode claims() {
        return Json.object().put("sub", "42").put("exp", 2_000_000_000L);
    }

    @Test
    void itsTokensAndNimbusJoseJwtsAreTheSameFormat() throws Exception {
        String ours = jwt.sign(claims());
        assertEquals("eyJhbGciOiJIUzI1NiJ9", ours.substring(0, ours.indexOf('.')), "{\"alg\":\"HS256\"}, as before");
        SignedJWT parsed = SignedJWT.parse(ours);
        assertTrue(parsed.verify(new MACVerifier(KEY)), "nimbus-jose-jwt verifies ours");
        assertEquals("42", parsed.getJWTClaimsSet().getSubject());

        SignedJWT theirs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("7").build());
        theirs.sign(new MACSigner(KEY));
        assertEquals("7", jwt.verify(theirs.serialize()).orElseThrow().get("sub").textValue(), "we verify theirs");
    }

    @Test
    void theSigningKeyAndPreviousKeysVerifyAndNoOther() throws Exception {
        String payload = "{\"sub\":\"1\"}";
        assertTrue(jwt.verify(handMade("{\"alg\":\"HS256\"}", payload, KEY)).isPresent());
        assertTrue(jwt.verify(handMade("{\"alg\":\"HS256\"}", payload, OLD_KEY)).isPresent());
        assertEquals(Optional.empty(), new Hs256Jwt(KEY, List.of()).verify(handMade("{\"alg\":\"HS256\"}", payload, OLD_KEY)));
        assertEquals(Optional.empty(), jwt.verify(handMade("{\"alg\":\"HS256\"}", payload,
                "another key of at least thirty-two bytes".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aHeaderMaySayHs256AndJwtAndNothingElse() throws Exception {
        String payload = "{\"sub\":\"1\"}";
        assertTrue(jwt.verify(handMade("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload, KEY)).isPresent());
        for (String header : List.of("{\"alg\":\"HS256\",\"kid\":\"1\"}", "{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}",
                "{\"alg\":\"HS256\",\"typ\":\"JOSE+JSON\"}", "{\"typ\":\"JWT\"}", "{}", "{\"alg\":[\"HS256\"]}", "{\"alg\":\"hs256\"}",
                "{\"alg\":\"HS512\"}", "{\"alg\":\"none\"}", "[\"HS256\"]", "\"HS256\"", "null")) {
            assertEquals(Optional.empty(), jwt.verify(handMade(header, payload, KEY)), header);
        }
    }

    @Test
    void aPayloadMustBeAJsonObject() throws Exception {
        for (String payload : List.of("[1]", "\"sub\"", "42", "null", "{\"sub\":", "not json")) {
            assertEquals(Optional.empty(), jwt.verify(handMade("{\"alg\":\"HS256\"}", payload, KEY)), payload);
        }
    }

    /** Base64 leaves spare bits in the last character; decoders ignore them, so one signature has several spellings. */
    @Test
    void aSignatureHasOneSpelling() {
        String token = jwt.sign(claims());
        char last = token.charAt(token.length() - 1);
        // 32 bytes are 43 characters, the last one carrying 4 bits and 2 spare ones
        char respelled = "AEIMQUYcgkosw048".indexOf(last) >= 0 ? (char) (last + 1) : last;
        assertTrue(respelled != last, "the last character " + last + " uses no spare bits");
        assertEquals(Optional.empty(), jwt.verify(token.substring(0, token.length() - 1) + respelled));
        assertEquals(Optional.empty(), jwt.verify(token + "="), "padded");
        assertTrue(jwt.verify(token).isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "...", "a.b", "a.b.c.d", ".e30.abc", "eyJhbGciOiJIUzI1NiJ9..abc",
            "eyJhbGciOiJIUzI1NiJ9.e30.", "eyJhbGciOiJIUzI1NiJ9.e30.ab c", "eyJhbGciOiJIUzI1NiJ9.e30.abc\u00e9",
            "eyJhbGciOiJIUzI1NiJ9.!!!.abc", "eyJhbGciOiJIUzI1NiJ9.e30+.abc", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc"})
    void malformedTokensAreRefusedQuietly(String token) {
        assertEquals(Optional.empty(), jwt.verify(token));
    }

    @Test
    void nullAndOverlongTokensAreRefused() {
        assertEquals(Optional.empty(), jwt.verify(null));
        String token = jwt.sign(claims().put("pad", "x".repeat(70_000)));
        assertEquals(Optional.empty(), jwt.verify(token));
    }
}
