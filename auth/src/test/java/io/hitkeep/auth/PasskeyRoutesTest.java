package io.hitkeep.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.webserver.WebServer;
import io.hitkeep.core.DomainError;
import io.hitkeep.web.HttpJson;
import io.hitkeep.core.Json;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.hitkeep.testing.HttpSession;
import io.hitkeep.testing.HttpSession.Response;
import io.hitkeep.testing.NatsBroker;
import io.hitkeep.testing.TempFiles;
import io.hitkeep.writer.Writer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Passkey refusals that need no browser, over real HTTP against a real writer (DuckDB) and nats-server.
 * Sign-ins are answered by {@link SoftwareAuthenticator}, a real ES256 authenticator in a few lines, so a
 * good signature, a forged one and a replay can be told apart (the browser test covers real ceremonies in
 * Chromium). One user exists; passkeys of "another user" are stored directly through the store, as the
 * routes cannot create a second account. The tests run in order and share that state.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PasskeyRoutesTest {
    private static final String EMAIL = "owner@example.com";
    private static final String PASSWORD = "correct horse battery";
    private static final String SECRET = "passkey-test-secret-0123456789abcdef0123456789";
    private static final long OTHER_USER = 999;

    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    private static Path data;
    private static Writer writer;
    private static WebServer server;
    private static StoreClient store;
    private static String cookie;
    private static SoftwareAuthenticator ownPasskey;
    private static SoftwareAuthenticator othersPasskey;


    @BeforeAll
    static void start() {
        data = TempFiles.directory("hk-passkeys-");
        Settings settings = Settings.of(Map.of(Settings.DATA_PATH, data.toString(), Settings.JWT_SECRET, SECRET,
                "api-rate-limit", "1000", "login-rate-limit", "1000"));
        writer = Writer.start(settings, broker.connection());
        store = new StoreClient(broker.connection());
        server = WebServer.builder().port(0).host("127.0.0.1")
                .routing(routing -> {
                    HttpJson.registerErrorHandlers(routing);
                    routing.addFeature(ApiAuthentication.create(settings, store))
                            .register("/api", new AccountRoutes(settings, store))
                            .register("/api", new PasskeyRoutes(settings, store));
                })
                .build().start();
        Response created = send("POST", "/api/initial-user", Map.of("email", EMAIL, "password", PASSWORD), "", "");
        assertEquals(201, created.status(), created.body());
        cookie = created.cookie();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (writer != null) {
            writer.close();
        }
        TempFiles.deleteTree(data);
    }

    static Response send(String method, String path, Object body, String cookie, String bearer) {
        HttpSession session = new HttpSession("http://127.0.0.1:" + server.port());
        return (bearer.isEmpty() ? session.withCookie(cookie) : session.withBearer(bearer)).send(method, path,
                body == null ? null : Json.bytes(body), Map.of("Content-Type", "application/json"));
    }

    static Response post(String path, Object body) {
        return send("POST", path, body, cookie, "");
    }

    /** POST /api/login/passkey/start without a session; with a password challenge when given. */
    static Response startLogin(String challenge) {
        Response started = send("POST", "/api/login/passkey/start", challenge.isEmpty() ? Map.of() : Map.of("challenge", challenge), "", "");
        assertEquals(200, started.status(), started.body());
        return started;
    }

    static Response finishLogin(String ceremony, JsonNode credential) {
        ObjectNode body = Json.object().put("ceremony", ceremony);
        body.set("credential", credential);
        return send("POST", "/api/login/passkey/finish", body, "", "");
    }

    static String challengeOf(Response started) {
        return started.json().get("options").get("challenge").asText();
    }

    static List<String> auditEvents(String event) {
        List<String> details = new ArrayList<>();
        send("GET", "/api/audit", null, cookie, "").json().get("events").forEach(e -> {
            if (e.get("event").asText().equals(event)) {
                details.add(e.get("detail").asText());
            }
        });
        return details;
    }

    @Test
    @Order(1)
    void anApiKeyCannotRegisterOrDeleteAPasskey() {
        Response key = post("/api/user/api-keys", Map.of("name", "ci"));
        assertEquals(201, key.status(), key.body());
        String bearer = key.json().get("key").asText();
        send("POST", "/api/user/passkeys/register/start", Map.of("name", "sneaky"), "", bearer).assertJsonError(403);
        send("POST", "/api/user/passkeys/register/finish", Map.of("ceremony", "x", "credential", Map.of()), "", bearer)
                .assertJsonError(403);
        send("DELETE", "/api/user/passkeys/1", null, "", bearer).assertJsonError(403);
        Response listed = send("GET", "/api/user/passkeys", null, "", bearer);
        assertEquals(200, listed.status(), "reading the list is fine with a key");
        assertEquals("{\"passkeys\":[]}", listed.body());
        send("POST", "/api/user/passkeys/register/start", Map.of(), "", "").assertJsonError(401);
    }

    @Test
    @Order(2)
    void registrationOffersADiscoverableCredentialForThisSite() {
        Response started = post("/api/user/passkeys/register/start", Map.of("name", "Laptop"));
        assertEquals(200, started.status(), started.body());
        JsonNode options = started.json().get("options");
        assertEquals("localhost", options.get("rp").get("id").asText(), "no public-url: localhost");
        assertEquals(EMAIL, options.get("user").get("name").asText());
        assertTrue(options.get("user").get("id").asText().matches("[A-Za-z0-9_-]{43}"), "32 random bytes: " + options.get("user"));
        assertEquals("required", options.get("authenticatorSelection").get("residentKey").asText());
        assertEquals("preferred", options.get("authenticatorSelection").get("userVerification").asText());
        assertTrue(options.get("challenge").asText().length() >= 43);
        assertFalse(started.json().get("ceremony").asText().isEmpty());

        post("/api/user/passkeys/register/start", Map.of("name", "x".repeat(101))).assertJsonError(400);
    }

    @Test
    @Order(3)
    void garbageOrForgedRegistrationsAre400() {
        for (Object credential : List.of("not an object", Map.of("id", "x", "response", Map.of()),
                Map.of("id", "AAAA", "rawId", "AAAA", "type", "public-key", "clientExtensionResults", Map.of(),
                        "response", Map.of("clientDataJSON", base64Url("{\"type\":\"webauthn.create\"}".getBytes(StandardCharsets.UTF_8)),
                                "attestationObject", "oWNmbXRkbm9uZQ")))) {
            String ceremony = post("/api/user/passkeys/register/start", Map.of()).json().get("ceremony").asText();
            post("/api/user/passkeys/register/finish", Map.of("ceremony", ceremony, "credential", credential)).assertJsonError(400);
        }
        assertEquals("{\"passkeys\":[]}", send("GET", "/api/user/passkeys", null, cookie, "").body(), "nothing was stored");
    }

    @Test
    @Order(4)
    void aGoodSignatureSignsInAndAForgedOneIs401() throws GeneralSecurityException {
        String handle = store.call(PasskeyRecords.HANDLE, new Accounts.UserRef(1)).userHandle();
        ownPasskey = SoftwareAuthenticator.register(store, 1, handle, "Software key");

        Response started = startLogin("");
        assertTrue(started.json().get("options").path("allowCredentials").isEmpty(), "discoverable: " + started.body());
        SoftwareAuthenticator forger = new SoftwareAuthenticator(ownPasskey.credentialId, handle);
        finishLogin(started.json().get("ceremony").asText(), forger.assertion(challengeOf(started), "http://localhost:8080"))
                .assertJsonError(401);
        String failure = auditEvents("login_failed").get(0);
        assertTrue(failure.startsWith("passkey refused") && failure.contains("signature"), failure);

        started = startLogin("");
        finishLogin(started.json().get("ceremony").asText(), ownPasskey.assertion(challengeOf(started), "https://evil.example"))
                .assertJsonError(401);

        started = startLogin("");
        Response signedIn = finishLogin(started.json().get("ceremony").asText(), ownPasskey.assertion(challengeOf(started), "http://localhost:8080"));
        assertEquals(200, signedIn.status(), signedIn.body());
        assertEquals(EMAIL, signedIn.json().get("user").get("email").asText());
        assertEquals(200, send("GET", "/api/user", null, signedIn.cookie(), "").status(), "the cookie is a session");
        assertEquals("passkey", auditEvents("login").get(0));
    }

    @Test
    @Order(5)
    void aClonedAuthenticatorWhoseCounterWentBackwardsIs401() throws GeneralSecurityException {
        Response started = startLogin("");
        ownPasskey.counter -= 2; // what a copy of the key, used less often, would send
        finishLogin(started.json().get("ceremony").asText(), ownPasskey.assertion(challengeOf(started), "http://localhost:8080"))
                .assertJsonError(401);
        ownPasskey.counter += 5;
        // the writer refuses it too, for two replicas verifying the same counter at once
        DomainError backwards = assertThrows(DomainError.class, () -> store.call(PasskeyRecords.USE,
                new PasskeyRecords.Use(ownPasskey.credentialId, 1)));
        assertEquals(DomainError.Kind.CONFLICT, backwards.kind());
    }

    @Test
    @Order(6)
    void expiredTamperedReusedOrMisusedCeremoniesAre401() throws Exception {
        Response started = startLogin("");
        String ceremony = started.json().get("ceremony").asText();
        JsonNode good = ownPasskey.assertion(challengeOf(started), "http://localhost:8080");

        JWTClaimsSet claims = SignedJWT.parse(ceremony).getJWTClaimsSet();
        SignedJWT expired = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder(claims)
                .expirationTime(Date.from(Instant.now().minusSeconds(1))).build());
        expired.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        finishLogin(expired.serialize(), good).assertJsonError(401);

        String[] parts = ceremony.split("\\.");
        JsonNode payload = Json.tree(Base64.getUrlDecoder().decode(parts[1]));
        ((ObjectNode) payload).put("sub", "1");
        String tampered = parts[0] + "." + base64Url(Json.bytes(payload)) + "." + parts[2];
        finishLogin(tampered, good).assertJsonError(401);
        finishLogin("not-a-token", good).assertJsonError(401);
        String registration = post("/api/user/passkeys/register/start", Map.of()).json().get("ceremony").asText();
        finishLogin(registration, good).assertJsonError(401);

        Response first = finishLogin(ceremony, good);
        assertEquals(200, first.status(), "the refusals above did not use the ceremony up: " + first.body());
        Response replayed = finishLogin(ceremony, good);
        replayed.assertJsonError(401);
        assertTrue(replayed.json().get("error").asText().contains("used already"), replayed.body());
        assertEquals("", replayed.cookie());
    }

    @Test
    @Order(7)
    void anotherUsersOrAnUnknownPasskeyIs404() throws GeneralSecurityException {
        String othersHandle = base64Url("another user's handle, 32 bytes".getBytes(StandardCharsets.UTF_8));
        othersPasskey = SoftwareAuthenticator.register(store, OTHER_USER, othersHandle, "Not yours");
        long othersId = othersPasskey.id;
        send("PATCH", "/api/user/passkeys/" + othersId, Map.of("name", "mine now"), cookie, "").assertJsonError(404);
        send("DELETE", "/api/user/passkeys/" + othersId, null, cookie, "").assertJsonError(404);
        send("DELETE", "/api/user/passkeys/424242", null, cookie, "").assertJsonError(404);
        send("PATCH", "/api/user/passkeys/not-a-number", Map.of("name", "x"), cookie, "").assertJsonError(404);
        JsonNode listed = send("GET", "/api/user/passkeys", null, cookie, "").json().get("passkeys");
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("Software key", listed.get(0).get("name").asText());
        assertTrue(listed.get(0).get("last_used_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), listed.toString());
        assertEquals("Not yours", store.call(PasskeyRecords.FIND, new PasskeyRecords.CredentialRef(othersPasskey.credentialId))
                .name(), "untouched");
    }

    @Test
    @Order(8)
    void aSecondFactorMustBeThePasswordOwnersPasskey() throws GeneralSecurityException {
        Response login = send("POST", "/api/login", Map.of("email", EMAIL, "password", PASSWORD), "", "");
        assertEquals(200, login.status(), login.body());
        assertEquals("", login.cookie(), "no session before the second factor");
        assertEquals("[\"passkey\"]", login.json().get("factors").toString());
        String challenge = login.json().get("challenge").asText();

        Response started = startLogin(challenge);
        JsonNode allowed = started.json().get("options").get("allowCredentials");
        assertEquals(1, allowed.size(), "only the owner's passkeys: " + allowed);
        assertEquals(ownPasskey.credentialId, allowed.get(0).get("id").asText());
        Response someoneElse = finishLogin(started.json().get("ceremony").asText(),
                othersPasskey.assertion(challengeOf(started), "http://localhost:8080"));
        someoneElse.assertJsonError(401);
        assertEquals("a passkey of another account", auditEvents("login_failed").get(0));

        // a discoverable ceremony, finished with the challenge: still the owner's passkey only
        started = startLogin("");
        ObjectNode body = Json.object().put("ceremony", started.json().get("ceremony").asText()).put("challenge", challenge);
        body.set("credential", othersPasskey.assertion(challengeOf(started), "http://localhost:8080"));
        send("POST", "/api/login/passkey/finish", body, "", "").assertJsonError(401);

        started = startLogin(challenge);
        body = Json.object().put("ceremony", started.json().get("ceremony").asText()).put("challenge", challenge);
        body.set("credential", ownPasskey.assertion(challengeOf(started), "http://localhost:8080"));
        Response signedIn = send("POST", "/api/login/passkey/finish", body, "", "");
        assertEquals(200, signedIn.status(), signedIn.body());
        assertFalse(signedIn.cookie().isEmpty());
        assertEquals("password and passkey", auditEvents("login").get(0));
        send("POST", "/api/login/passkey/start", Map.of("challenge", "forged"), "", "").assertJsonError(401);
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * A passkey held in software: an ES256 key pair registered through the store (as a verified registration
     * would have stored it), answering sign-in challenges as an authenticator does (WebAuthn §6.3.3, §7.2).
     */
    static final class SoftwareAuthenticator {
        private final KeyPair keys;
        final String credentialId;
        final String userHandle;
        long counter;
        long id;

        SoftwareAuthenticator(String credentialId, String userHandle) throws GeneralSecurityException {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            this.keys = generator.generateKeyPair();
            this.credentialId = credentialId;
            this.userHandle = userHandle;
        }

        static SoftwareAuthenticator register(StoreClient store, long userId, String userHandle, String name)
                throws GeneralSecurityException {
            byte[] id = new byte[16];
            new java.security.SecureRandom().nextBytes(id);
            SoftwareAuthenticator authenticator = new SoftwareAuthenticator(base64Url(id), userHandle);
            authenticator.id = store.call(PasskeyRecords.ADD, new PasskeyRecords.NewPasskey(userId, authenticator.credentialId,
                    userHandle, base64Url(authenticator.cosePublicKey()), 0, name)).id();
            return authenticator;
        }

        /** The public key as a COSE_Key map {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}, CBOR-encoded. */
        byte[] cosePublicKey() {
            ECPublicKey key = (ECPublicKey) keys.getPublic();
            ByteArrayOutputStream cbor = new ByteArrayOutputStream();
            cbor.writeBytes(new byte[] {(byte) 0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01});
            cbor.writeBytes(new byte[] {0x21, 0x58, 0x20});
            cbor.writeBytes(unsigned32(key.getW().getAffineX()));
            cbor.writeBytes(new byte[] {0x22, 0x58, 0x20});
            cbor.writeBytes(unsigned32(key.getW().getAffineY()));
            return cbor.toByteArray();
        }

        /** The JSON a browser would send for this challenge from that origin, user present and verified. */
        JsonNode assertion(String challenge, String origin) throws GeneralSecurityException {
            counter++;
            byte[] clientData = Json.bytes(Json.object().put("type", "webauthn.get").put("challenge", challenge)
                    .put("origin", origin).put("crossOrigin", false));
            byte[] authenticatorData = ByteBuffer.allocate(37)
                    .put(MessageDigest.getInstance("SHA-256").digest("localhost".getBytes(StandardCharsets.UTF_8)))
                    .put((byte) 0x05) // user present, user verified
                    .putInt((int) counter)
                    .array();
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(authenticatorData);
            signer.update(MessageDigest.getInstance("SHA-256").digest(clientData));
            ObjectNode credential = Json.object().put("id", credentialId).put("rawId", credentialId).put("type", "public-key");
            credential.putObject("response")
                    .put("clientDataJSON", base64Url(clientData))
                    .put("authenticatorData", base64Url(authenticatorData))
                    .put("signature", base64Url(signer.sign()))
                    .put("userHandle", userHandle);
            credential.putObject("clientExtensionResults");
            return credential;
        }

        private static byte[] unsigned32(BigInteger value) {
            byte[] bytes = value.toByteArray();
            byte[] fixed = new byte[32];
            int length = Math.min(bytes.length, 32);
            System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
            return fixed;
        }
    }
}
