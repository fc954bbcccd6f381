package io.hitkeep.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Compact JSON Web Tokens signed with HMAC-SHA256 (RFC 7515 and 7519), the one kind HitKeep makes and accepts.
 *
 * <p>Signed tokens carry the header {@code {"alg":"HS256"}}, byte for byte what nimbus-jose-jwt wrote before
 * this class replaced it, so sessions issued by an older version stay valid. A token is accepted only when its
 * header says {@code "alg":"HS256"} and nothing else but, optionally, {@code "typ":"JWT"}: no other algorithm,
 * no {@code none}, no key ids or critical extensions (we issue none, so a token that has one is not ours). Its
 * signature is compared in constant time with the one computed over the token's own first two parts, with the
 * signing key or any previous key; only then is the payload read, and it must be a JSON object.
 *
 * <p>Why not the library: it is 300 classes (its own JSON parser among them) for the 100 lines below, and
 * those classes stay in the JVM's metaspace for good, about 1.3 MiB of an idle server's memory. The tests still
 * make tokens with nimbus-jose-jwt, so another implementation checks this one. Thread-safe.
 */
final class Hs256Jwt {
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** What nimbus-jose-jwt's {@code new JWSHeader(JWSAlgorithm.HS256)} serialised to. */
    private static final String HEADER = ENCODER.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.US_ASCII));
    /** The header fields a token may have, with the one value each may take. */
    private static final Map<String, String> HEADER_FIELDS = Map.of("alg", "HS256", "typ", "JWT");

    /** Far more than any token we sign (about 300 characters, a ceremony's a few KiB): the rest is not read. */
    private static final int MAX_LENGTH = 64 * 1024;

    private final SecretKeySpec signingKey;
    private final List<SecretKeySpec> verifyingKeys;

    /** Signs with {@code secret}; verifies with it and with each of {@code previous}. */
    Hs256Jwt(byte[] secret, List<byte[]> previous) {
        this.signingKey = new SecretKeySpec(secret, ALGORITHM);
        this.verifyingKeys = Stream.concat(Stream.of(secret), previous.stream())
                .map(key -> new SecretKeySpec(key, ALGORITHM)).toList();
    }

    /** The signed token of these claims. */
    String sign(ObjectNode claims) {
        String signingInput = HEADER + "." + ENCODER.encodeToString(Json.bytes(claims));
        return signingInput + "." + ENCODER.encodeToString(mac(signingKey, signingInput));
    }

    /** The claims of a token signed with one of our keys; empty for anything else, never an exception. */
    Optional<ObjectNode> verify(String token) {
        if (token == null || token.length() > MAX_LENGTH || !token.chars().allMatch(Hs256Jwt::isTokenCharacter)) {
            return Optional.empty();
        }
        int firstDot = token.indexOf('.');
        int secondDot = token.indexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot <= firstDot + 1 || secondDot == token.length() - 1 || token.indexOf('.', secondDot + 1) >= 0) {
            return Optional.empty();
        }
        try {
            if (!acceptableHeader(object(token.substring(0, firstDot)))) {
                return Optional.empty();
            }
            String signingInput = token.substring(0, secondDot);
            byte[] signature = token.substring(secondDot + 1).getBytes(StandardCharsets.US_ASCII);
            boolean signed = false;
            for (SecretKeySpec key : verifyingKeys) {
                // the canonical encoding of the expected signature: one signature string per token, not several
                signed |= MessageDigest.isEqual(ENCODER.encode(mac(key, signingInput)), signature);
            }
            return signed ? Optional.ofNullable(object(token.substring(firstDot + 1, secondDot))) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();  // not base64url, not JSON
        }
    }

    /** The base64url alphabet and the dots between the parts. */
    private static boolean isTokenCharacter(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.';
    }

    private static boolean acceptableHeader(ObjectNode header) {
        if (header == null || !header.has("alg")) {
            return false;
        }
        for (Map.Entry<String, JsonNode> field : header.properties()) {
            String wanted = HEADER_FIELDS.get(field.getKey());
            if (wanted == null || !field.getValue().isTextual() || !wanted.equals(field.getValue().textValue())) {
                return false;
            }
        }
        return true;
    }

    /** The JSON object a base64url part holds, or null when it holds another JSON value. */
    private static ObjectNode object(String part) throws IOException {
        return Json.tree(DECODER.decode(part)) instanceof ObjectNode object ? object : null;
    }

    private static byte[] mac(SecretKeySpec key, String signingInput) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new HitKeepException("HMAC-SHA256 is not available: " + e.getMessage(), e);
        }
    }
}
