package io.hitkeep.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.yubico.webauthn.AssertionRequest;
import com.yubico.webauthn.AssertionResult;
import com.yubico.webauthn.FinishAssertionOptions;
import com.yubico.webauthn.FinishRegistrationOptions;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.RelyingParty;
import com.yubico.webauthn.StartAssertionOptions;
import com.yubico.webauthn.StartRegistrationOptions;
import com.yubico.webauthn.data.AuthenticatorAssertionResponse;
import com.yubico.webauthn.data.AuthenticatorAttestationResponse;
import com.yubico.webauthn.data.AuthenticatorSelectionCriteria;
import com.yubico.webauthn.data.ClientAssertionExtensionOutputs;
import com.yubico.webauthn.data.ClientRegistrationExtensionOutputs;
import com.yubico.webauthn.data.PublicKeyCredential;
import com.yubico.webauthn.data.PublicKeyCredentialCreationOptions;
import com.yubico.webauthn.data.RelyingPartyIdentity;
import com.yubico.webauthn.data.ResidentKeyRequirement;
import com.yubico.webauthn.data.UserIdentity;
import com.yubico.webauthn.data.UserVerificationRequirement;
import com.yubico.webauthn.exception.AssertionFailedException;
import com.yubico.webauthn.exception.RegistrationFailedException;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Json;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The WebAuthn relying party (yubico's webauthn-server-core): registers passkeys and verifies sign-ins
 * with them. Nothing is kept in memory between a ceremony's start and finish: the request travels to the
 * browser inside a signed five-minute token ({@link SessionTokens#issueCeremony}) that is used up when
 * finished ({@link Revocations#useOnce}), so any replica can finish what another started, and only once.
 * The relying party id is the host of {@code public-url}, the only origin allowed; without it,
 * {@code localhost} on any port (the single binary's default address). Thread-safe.
 */
final class Passkeys {
    static final String REGISTRATION = "registration";
    static final String LOGIN = "login";
    static final int NAME_LIMIT = 100;
    private static final String DEFAULT_NAME = "Passkey";
    private static final List<String> ATTESTATION_FIELDS = List.of("clientDataJSON", "attestationObject", "transports");
    private static final List<String> ASSERTION_FIELDS = List.of("clientDataJSON", "authenticatorData", "signature", "userHandle");

    private final StoreClient store;
    private final SessionTokens tokens;
    private final Revocations revocations;
    private final PasskeyCredentials credentials;
    private final RelyingParty relyingParty;

    Passkeys(Settings settings, StoreClient store, SessionTokens tokens, Revocations revocations) {
        this.store = store;
        this.tokens = tokens;
        this.revocations = revocations;
        this.credentials = new PasskeyCredentials(store);
        Optional<URI> publicUrl = settings.value(Settings.PUBLIC_URL).filter(url -> !url.isBlank()).map(URI::create);
        RelyingParty.RelyingPartyBuilder builder = RelyingParty.builder()
                .identity(RelyingPartyIdentity.builder()
                        .id(publicUrl.map(URI::getHost).orElse("localhost"))
                        .name("HitKeep")
                        .build())
                .credentialRepository(credentials);
        if (publicUrl.isPresent()) {
            URI url = publicUrl.get();
            builder.origins(Set.of(url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())));
        } else {
            // the browser only offers WebAuthn to a secure context, and http://localhost is one
            builder.origins(Set.of("http://localhost")).allowOriginPort(true);
        }
        this.relyingParty = builder.build();
    }

    /** What a page passes to {@code navigator.credentials}, and the token that finishes the ceremony. */
    public record Started(String ceremony, JsonNode options) {}

    /** A verified sign-in: whose, with which session epoch, and whether a password came first. */
    public record SignedIn(long userId, long epoch, boolean afterPassword) {}

    /** A sign-in refused after the ceremony was read; {@code userId} is 0 when the account is unknown. */
    public static final class Refused extends HitKeepException {
        private final long userId;

        Refused(long userId, String message) {
            super(message);
            this.userId = userId;
        }

        public long userId() {
            return userId;
        }
    }

    /**
     * Starts registering a passkey for the user: a discoverable credential (so it can sign in without an
     * e-mail address), none of the user's existing ones again.
     */
    public Started startRegistration(long userId, String name) {
        String handle = store.call(PasskeyRecords.HANDLE, new Accounts.UserRef(userId)).userHandle();
        String email = store.call(Accounts.GET_USER, new Accounts.UserRef(userId)).email();
        PublicKeyCredentialCreationOptions options = relyingParty.startRegistration(StartRegistrationOptions.builder()
                .user(UserIdentity.builder().name(email).displayName(email).id(PasskeyCredentials.bytes(handle)).build())
                .authenticatorSelection(AuthenticatorSelectionCriteria.builder()
                        .residentKey(ResidentKeyRequirement.REQUIRED)
                        .userVerification(UserVerificationRequirement.PREFERRED)
                        .build())
                .timeout(SessionTokens.CEREMONY_LIFETIME.toMillis())
                .build());
        try {
            ObjectNode payload = Json.object().put("name", name);
            payload.set("request", Json.MAPPER.readTree(options.toJson()));
            return new Started(tokens.issueCeremony(REGISTRATION, userId, 0, payload.toString()),
                    Json.MAPPER.readTree(options.toCredentialsCreateJson()).get("publicKey"));
        } catch (JsonProcessingException e) {
            throw new HitKeepException("cannot write passkey registration options", e);
        }
    }

    /** Verifies the authenticator's answer and stores the new passkey; answers it as listed. */
    public PasskeyRecords.Passkey finishRegistration(long userId, String ceremonyToken, JsonNode credential, String name) {
        SessionTokens.Ceremony ceremony = tokens.ceremony(ceremonyToken, REGISTRATION)
                .filter(started -> started.userId() == userId)
                .orElseThrow(() -> DomainError.unauthorized("passkey registration expired or invalid; start again"));
        useOnce(ceremony);
        JsonNode payload = payload(ceremony);
        PublicKeyCredential<AuthenticatorAttestationResponse, ClientRegistrationExtensionOutputs> response;
        try {
            response = PublicKeyCredential.parseRegistrationResponseJson(standardForm(credential, ATTESTATION_FIELDS));
        } catch (IOException | RuntimeException e) {
            throw DomainError.invalid("credential is not a WebAuthn registration response");
        }
        RegistrationResult result;
        try {
            result = relyingParty.finishRegistration(FinishRegistrationOptions.builder()
                    .request(PublicKeyCredentialCreationOptions.fromJson(payload.get("request").toString()))
                    .response(response)
                    .build());
        } catch (RegistrationFailedException | IllegalArgumentException e) {
            throw DomainError.invalid("the passkey was refused: " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new HitKeepException("cannot read a passkey ceremony this server signed", e);
        }
        String chosen = name.isBlank() ? Json.text(payload, "name") : name;
        String handle = payload.get("request").get("user").get("id").asText();
        return store.call(PasskeyRecords.ADD, new PasskeyRecords.NewPasskey(userId,
                result.getKeyId().getId().getBase64Url(), handle, result.getPublicKeyCose().getBase64Url(),
                result.getSignatureCount(), name(chosen)));
    }

    /**
     * Starts a sign-in. Without a user (no password given) any discoverable passkey of this site may answer;
     * with one (the second step after a password) only that user's passkeys are offered.
     */
    public Started startLogin(OptionalLong userId, long epoch) {
        StartAssertionOptions.StartAssertionOptionsBuilder options = StartAssertionOptions.builder()
                .userVerification(UserVerificationRequirement.PREFERRED)
                .timeout(SessionTokens.CEREMONY_LIFETIME.toMillis());
        if (userId.isPresent()) {
            String email = store.call(Accounts.GET_USER, new Accounts.UserRef(userId.getAsLong())).email();
            if (credentials.getCredentialIdsForUsername(email).isEmpty()) {
                // an empty allow list would mean "any passkey": refuse rather than widen the second factor
                throw DomainError.conflict("this account has no passkey");
            }
            options.username(email);
        }
        AssertionRequest request = relyingParty.startAssertion(options.build());
        try {
            ObjectNode payload = Json.object();
            payload.set("request", Json.MAPPER.readTree(request.toJson()));
            return new Started(tokens.issueCeremony(LOGIN, userId.orElse(0), epoch, payload.toString()),
                    Json.MAPPER.readTree(request.toCredentialsGetJson()).get("publicKey"));
        } catch (JsonProcessingException e) {
            throw new HitKeepException("cannot write passkey sign-in options", e);
        }
    }

    /**
     * Verifies a sign-in. {@code secondFactorOf} is the user whose password was checked (a challenge sent
     * with the answer), if any: then the passkey must be theirs. A bad ceremony token is a 401 {@link DomainError};
     * a refused passkey a {@link Refused} that says whose it was, when known.
     */
    public SignedIn finishLogin(String ceremonyToken, JsonNode credential, OptionalLong secondFactorOf, long challengeEpoch) {
        SessionTokens.Ceremony ceremony = tokens.ceremony(ceremonyToken, LOGIN)
                .orElseThrow(() -> DomainError.unauthorized("passkey sign-in expired or invalid; start again"));
        if (ceremony.userId() != 0 && secondFactorOf.isPresent() && ceremony.userId() != secondFactorOf.getAsLong()) {
            throw DomainError.unauthorized("passkey sign-in expired or invalid; start again");
        }
        long expectedUser = ceremony.userId() != 0 ? ceremony.userId() : secondFactorOf.orElse(0);
        useOnce(ceremony);
        PublicKeyCredential<AuthenticatorAssertionResponse, ClientAssertionExtensionOutputs> response;
        try {
            response = PublicKeyCredential.parseAssertionResponseJson(standardForm(credential, ASSERTION_FIELDS));
        } catch (IOException | RuntimeException e) {
            throw DomainError.invalid("credential is not a WebAuthn sign-in response");
        }
        PasskeyRecords.StoredCredential stored = credentials.find(response.getId().getBase64Url())
                .orElseThrow(() -> new Refused(expectedUser, "unknown passkey"));
        long userId = stored.userId();
        if (expectedUser != 0 && userId != expectedUser) {
            throw new Refused(expectedUser, "a passkey of another account");
        }
        AssertionResult result;
        try {
            result = relyingParty.finishAssertion(FinishAssertionOptions.builder()
                    .request(AssertionRequest.fromJson(payload(ceremony).get("request").toString()))
                    .response(response)
                    .build());
        } catch (AssertionFailedException | IllegalArgumentException e) {
            throw new Refused(userId, "passkey refused: " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new HitKeepException("cannot read a passkey ceremony this server signed", e);
        }
        if (!result.isSuccess()) {
            throw new Refused(userId, "passkey refused");
        }
        try {
            store.call(PasskeyRecords.USE, new PasskeyRecords.Use(stored.credentialId(), result.getSignatureCount()));
        } catch (DomainError e) {
            if (e.kind() == DomainError.Kind.CONFLICT || e.kind() == DomainError.Kind.NOT_FOUND) {
                throw new Refused(userId, e.getMessage());
            }
            throw e;
        }
        boolean afterPassword = expectedUser != 0;
        long epoch = afterPassword ? (ceremony.userId() != 0 ? ceremony.epoch() : challengeEpoch)
                : stored.sessionEpoch();
        return new SignedIn(userId, epoch, afterPassword);
    }

    /** A passkey's name as given, or the default; a 400 when too long. */
    static String name(String given) {
        String name = given.strip();
        if (name.length() > NAME_LIMIT) {
            throw DomainError.invalid("name is at most " + NAME_LIMIT + " characters long");
        }
        return name.isEmpty() ? DEFAULT_NAME : name;
    }

    private void useOnce(SessionTokens.Ceremony ceremony) {
        if (!revocations.useOnce(ceremony.jti(), ceremony.expires())) {
            throw DomainError.unauthorized("this passkey ceremony was used already; start again");
        }
    }

    private static JsonNode payload(SessionTokens.Ceremony ceremony) {
        try {
            return Json.MAPPER.readTree(ceremony.payload());
        } catch (JsonProcessingException e) {
            throw new HitKeepException("cannot read a passkey ceremony this server signed", e);
        }
    }

    /**
     * The credential as the standard JSON form (base64url fields), keeping only what the verification reads:
     * browsers' {@code toJSON()} adds convenience fields (public key, algorithm) that are not verified, so
     * they are dropped rather than trusted or refused.
     */
    private static String standardForm(JsonNode credential, List<String> responseFields) {
        if (credential == null || !credential.isObject() || !credential.path("response").isObject()) {
            throw DomainError.invalid("credential must be a PublicKeyCredential JSON object");
        }
        ObjectNode form = Json.object();
        for (String field : List.of("id", "rawId", "type", "authenticatorAttachment")) {
            if (credential.hasNonNull(field)) {
                form.set(field, credential.get(field));
            }
        }
        ObjectNode response = form.putObject("response");
        for (String field : responseFields) {
            if (credential.get("response").hasNonNull(field)) {
                response.set(field, credential.get("response").get(field));
            }
        }
        form.set("clientExtensionResults", credential.path("clientExtensionResults").isObject()
                ? credential.get("clientExtensionResults") : Json.object());
        if (!form.has("type")) {
            form.put("type", "public-key");
        }
        return form.toString();
    }
}
