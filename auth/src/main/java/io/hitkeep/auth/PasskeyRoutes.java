package io.hitkeep.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.core.DomainError;
import io.hitkeep.web.HttpJson;
import io.hitkeep.core.Json;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;

import java.time.Clock;
import java.util.OptionalLong;

/**
 * Passkeys over HTTP, mounted at {@code /api} beside {@link AccountRoutes}: the caller's passkeys (list,
 * register, rename, delete) and sign-in with a passkey, alone or as the second step after a password.
 * Registering and deleting need the session cookie, not an API key. Sign-in is rate limited per client
 * address like the password's; there is no per-account lockout, since a passkey cannot be guessed and
 * failures must not lock the owner out. Thread-safe.
 */
public final class PasskeyRoutes implements HttpService {
    private static final int BODY_LIMIT = 64 * 1024;

    /** A passkey deleted. */
    record Deleted(long id, boolean deleted) {}

    private final StoreClient store;
    private final SessionTokens tokens;
    private final Revocations revocations;
    private final Passkeys passkeys;
    private final SignInGuard guard;
    private final SessionCookies cookies;
    private final AuditTrail auditTrail;

    public PasskeyRoutes(Settings settings, StoreClient store) {
        this.store = store;
        this.tokens = new SessionTokens(settings);
        this.revocations = Revocations.of(store);
        this.passkeys = new Passkeys(settings, store, tokens, revocations);
        this.guard = new SignInGuard(settings, Clock.systemUTC());
        this.cookies = new SessionCookies(settings, tokens);
        this.auditTrail = new AuditTrail(store, guard);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/user/passkeys", this::list)
                .post("/user/passkeys/register/start", this::startRegistration)
                .post("/user/passkeys/register/finish", this::finishRegistration)
                .patch("/user/passkeys/{id}", this::rename)
                .delete("/user/passkeys/{id}", this::delete)
                .post("/login/passkey/start", this::startLogin)
                .post("/login/passkey/finish", this::finishLogin);
    }

    private void list(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(PasskeyRecords.LIST, new Accounts.UserRef(Caller.of(request).userId())));
    }

    private void startRegistration(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.sessionOnly(request);
        String name = Passkeys.name(Json.text(HttpJson.object(request, BODY_LIMIT), "name"));
        send(response, passkeys.startRegistration(caller.userId(), name));
    }

    private void finishRegistration(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.sessionOnly(request);
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        Passkeys.name(Json.text(body, "name")); // a bad name is refused before the ceremony is used up
        PasskeyRecords.Passkey added = passkeys.finishRegistration(caller.userId(), Json.text(body, "ceremony"),
                body.get("credential"), Json.text(body, "name"));
        auditTrail.record(request, caller.userId(), "passkey_added", added.name());
        HttpJson.send(response, 201, added);
    }

    private void rename(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.of(request);
        long id = passkeyId(request);
        String name = Json.text(HttpJson.object(request, BODY_LIMIT), "name");
        if (name.isBlank()) {
            throw DomainError.invalid("name is required (at most " + Passkeys.NAME_LIMIT + " characters)");
        }
        HttpJson.send(response, 200, store.call(PasskeyRecords.RENAME,
                new PasskeyRecords.PasskeyName(caller.userId(), id, Passkeys.name(name))));
    }

    private void delete(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.sessionOnly(request);
        PasskeyRecords.DeletedPasskey deleted = store.call(PasskeyRecords.DELETE,
                new PasskeyRecords.PasskeyRef(caller.userId(), passkeyId(request)));
        auditTrail.record(request, caller.userId(), "passkey_removed", deleted.name());
        HttpJson.send(response, 200, new Deleted(deleted.id(), true));
    }

    /** Starts a sign-in; with the challenge of a checked password, as that user's second factor. */
    private void startLogin(ServerRequest request, ServerResponse response) {
        if (guard.limited(request, response)) {
            return;
        }
        String challengeToken = Json.text(HttpJson.object(request, BODY_LIMIT), "challenge");
        if (challengeToken.isEmpty()) {
            send(response, passkeys.startLogin(OptionalLong.empty(), 0));
            return;
        }
        SessionTokens.Session challenge = challenge(challengeToken);
        send(response, passkeys.startLogin(OptionalLong.of(challenge.userId()), challenge.epoch()));
    }

    private void finishLogin(ServerRequest request, ServerResponse response) {
        if (guard.limited(request, response)) {
            return;
        }
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        String challengeToken = Json.text(body, "challenge");
        OptionalLong secondFactorOf = OptionalLong.empty();
        long challengeEpoch = 0;
        if (!challengeToken.isEmpty()) {
            SessionTokens.Session challenge = challenge(challengeToken);
            secondFactorOf = OptionalLong.of(challenge.userId());
            challengeEpoch = challenge.epoch();
        }
        Passkeys.SignedIn signedIn;
        try {
            signedIn = passkeys.finishLogin(Json.text(body, "ceremony"), body.get("credential"), secondFactorOf, challengeEpoch);
        } catch (Passkeys.Refused refused) {
            if (refused.userId() != 0) {
                auditTrail.record(request, refused.userId(), "login_failed", refused.getMessage());
            }
            throw DomainError.unauthorized("the passkey was not accepted");
        }
        if (signedIn.epoch() < revocations.epoch(signedIn.userId())) {
            // signed out everywhere since the password was checked
            throw DomainError.unauthorized("sign-in expired; start again");
        }
        revocations.knowEpoch(signedIn.userId(), signedIn.epoch());
        cookies.start(request, response, signedIn.userId(), signedIn.epoch());
        auditTrail.record(request, signedIn.userId(), "login", signedIn.afterPassword() ? "password and passkey" : "passkey");
        HttpJson.send(response, 200, new AccountRoutes.UserAnswer<>(store.call(Accounts.GET_USER, new Accounts.UserRef(signedIn.userId()))));
    }

    private SessionTokens.Session challenge(String token) {
        return tokens.challenge(token)
                .filter(session -> session.epoch() >= revocations.epoch(session.userId()))
                .orElseThrow(() -> DomainError.unauthorized("sign-in expired or invalid; enter your password again"));
    }

    private static long passkeyId(ServerRequest request) {
        return HttpJson.pathId(request, "id", "no such passkey");
    }

    private static void send(ServerResponse response, Passkeys.Started started) {
        HttpJson.send(response, 200, started);
    }
}
