package io.hitkeep.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Scoped;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.core.Hashes;
import io.hitkeep.web.HttpJson;
import io.hitkeep.core.Json;
import io.hitkeep.core.Mail;
import io.hitkeep.core.Role;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Accounts over HTTP, mounted at {@code /api}: the first user, sign-in (with a TOTP second factor when the
 * user turned it on) and sign-out with the {@code hk_token} cookie, sign-out everywhere, TOTP enrolment,
 * the caller's profile, API keys and audit log. Sign-in, its second step and first-user are rate limited
 * per client address ({@code login-rate-limit} attempts at once, refilled per minute) and per account
 * ({@link LoginThrottle}). Secrets, codes and passwords are never logged. Thread-safe.
 */
public final class AccountRoutes implements HttpService {
    private static final int BODY_LIMIT = 16 * 1024;
    private static final int AUDIT_LIMIT = 100;
    private static final java.time.Duration RESET_LIFETIME = java.time.Duration.ofHours(1);
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(AccountRoutes.class.getName());

    /** The answer of a route that creates or signs in a user: {@code {"user": ...}}. */
    record UserAnswer<U>(U user) {}

    /** The signed-in caller with their teams (a key: its own team only) and whether TOTP is on. */
    record Profile(long id, String email, List<Teams.TeamSummary> teams, boolean totpEnabled) {}

    /** TOTP turned on, with the recovery codes shown only now. */
    record TotpEnabled(boolean enabled, List<String> recoveryCodes) {}

    private final StoreClient store;
    private final SessionTokens tokens;
    private final ApiKeys apiKeys;
    private final Revocations revocations;
    private final PasswordHasher passwords = new PasswordHasher();
    private final TotpSecrets totpSecrets;
    private final SignInGuard guard;
    private final SessionCookies cookies;
    private final AuditTrail auditTrail;
    private final Clock clock;
    private final PublicUrl publicUrl;
    /** With SMTP set, reset links go by mail and never into the log. */
    private final boolean mailConfigured;

    public AccountRoutes(Settings settings, StoreClient store) {
        this(settings, store, Clock.systemUTC());
    }

    /** With the clock TOTP codes and the account lockout are measured by (tests fix it). */
    AccountRoutes(Settings settings, StoreClient store, Clock clock) {
        this.store = store;
        this.tokens = new SessionTokens(settings);
        this.apiKeys = ApiKeys.of(store);
        this.revocations = Revocations.of(store);
        this.guard = new SignInGuard(settings, clock);
        this.cookies = new SessionCookies(settings, tokens);
        this.auditTrail = new AuditTrail(store, guard);
        this.clock = clock;
        this.totpSecrets = new TotpSecrets(settings);
        this.publicUrl = new PublicUrl(settings);
        this.mailConfigured = Mail.configured(settings);
        if (!mailConfigured) {
            LOG.warning("no SMTP server is set (HITKEEP_SMTP_HOST): password-reset links are written to this log "
                    + "for the operator to pass on; set HITKEEP_SMTP_HOST to send them by mail");
        }
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/initial-user", this::initialUser)
                .post("/login", this::login)
                .post("/login/totp", this::loginSecondFactor)
                .post("/logout", this::logout)
                .post("/password-reset", this::requestPasswordReset)
                .post("/password-reset/confirm", this::resetPassword)
                .put("/user/password", this::changePassword)
                .get("/user", this::currentUser)
                .post("/user/api-keys", this::createApiKey)
                .get("/user/api-keys", this::listApiKeys)
                .delete("/user/api-keys/{id}", this::revokeApiKey)
                .post("/user/sign-out-everywhere", this::signOutEverywhere)
                .post("/user/totp", this::startTotp)
                .post("/user/totp/confirm", this::confirmTotp)
                .delete("/user/totp", this::disableTotp)
                .get("/audit", this::audit);
    }

    private void initialUser(ServerRequest request, ServerResponse response) {
        if (guard.limited(request, response)) {
            return;
        }
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        String email = email(body);
        String password = password(body);
        if (store.call(Accounts.COUNT_USERS, StoreOperation.None.NONE).count() > 0) {
            throw DomainError.conflict("the first user exists already; sign in instead");
        }
        Accounts.CreatedUser user = store.call(Accounts.CREATE_FIRST_USER, new Accounts.NewUser(email, passwords.hash(password)));
        startSession(request, response, user.id(), 0);
        audit(request, user.id(), "user_created", "");
        HttpJson.send(response, 201, new UserAnswer<>(user));
    }

    private void login(ServerRequest request, ServerResponse response) {
        if (guard.limited(request, response)) {
            return;
        }
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        String email = Json.text(body, "email").strip();
        String password = Json.text(body, "password");
        if (email.isEmpty() || password.isEmpty()) {
            throw DomainError.invalid("email and password are required");
        }
        String account = "email:" + email.toLowerCase(Locale.ROOT);
        if (guard.locked(request, account, response)) {
            return;
        }
        Accounts.SignInUser user;
        try {
            user = store.call(Accounts.FIND_USER_BY_EMAIL, new Accounts.Email(email));
        } catch (DomainError e) {
            if (e.kind() != DomainError.Kind.NOT_FOUND) {
                throw e;
            }
            passwords.verifyNothing(password);
            guard.failed(request, account);
            throw DomainError.unauthorized("wrong e-mail or password");
        }
        long userId = user.id();
        if (!passwords.verify(password, user.passwordHash())) {
            guard.failed(request, account);
            audit(request, userId, "login_failed", "wrong password");
            throw DomainError.unauthorized("wrong e-mail or password");
        }
        guard.succeeded(request, account);
        long epoch = user.sessionEpoch();
        revocations.knowEpoch(userId, epoch);
        boolean totp = user.totpEnabled();
        boolean passkey = user.passkeys() > 0;
        if (totp || passkey) {
            ObjectNode challenge = Json.object().put("second_factor", "required")
                    .put("challenge", tokens.issueChallenge(userId, epoch));
            ArrayNode factors = challenge.putArray("factors");
            if (totp) {
                factors.add("totp").add("recovery_code");
            }
            if (passkey) {
                factors.add("passkey"); // finished at /api/login/passkey/*
            }
            HttpJson.send(response, 200, challenge);
            return;
        }
        startSession(request, response, userId, epoch, body.path("remember").asBoolean(false));
        audit(request, userId, "login", "password");
        HttpJson.send(response, 200, new UserAnswer<>(new Accounts.User(userId, user.email())));
    }

    /** The second step of a sign-in with TOTP on: the challenge from the first step plus a code or a recovery code. */
    private void loginSecondFactor(ServerRequest request, ServerResponse response) {
        if (guard.limited(request, response)) {
            return;
        }
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        SessionTokens.Session challenge = tokens.challenge(Json.text(body, "challenge"))
                .filter(session -> session.epoch() >= revocations.epoch(session.userId()))
                .orElseThrow(() -> DomainError.unauthorized("sign-in expired or invalid; enter your password again"));
        long userId = challenge.userId();
        String account = "user:" + userId;
        if (guard.locked(request, account, response)) {
            return;
        }
        String code = Json.text(body, "code");
        String recoveryCode = Json.text(body, "recovery_code");
        String how;
        if (!code.isBlank()) {
            if (!useTotpCode(userId, code)) {
                guard.failed(request, account);
                audit(request, userId, "login_failed", "wrong or reused TOTP code");
                throw DomainError.unauthorized("wrong code, or a code used already");
            }
            how = "totp";
        } else if (!recoveryCode.isBlank()) {
            try {
                store.call(AccountSecurity.USE_RECOVERY_CODE,
                        new AccountSecurity.RecoveryCode(userId, Totp.recoveryHash(recoveryCode)));
            } catch (DomainError e) {
                if (e.kind() != DomainError.Kind.NOT_FOUND) {
                    throw e;
                }
                guard.failed(request, account);
                audit(request, userId, "login_failed", "wrong or used recovery code");
                throw DomainError.unauthorized("wrong recovery code, or one used already");
            }
            how = "recovery_code";
        } else {
            throw DomainError.invalid("send code or recovery_code");
        }
        guard.succeeded(request, account);
        startSession(request, response, userId, challenge.epoch(), body.path("remember").asBoolean(false));
        audit(request, userId, "login", "password and " + how);
        HttpJson.send(response, 200, new UserAnswer<>(store.call(Accounts.GET_USER, new Accounts.UserRef(userId))));
    }

    /** Whether the code is the user's current one (±1 step) and its step was not used before; uses it. */
    private boolean useTotpCode(long userId, String code) {
        AccountSecurity.TotpState state = store.call(AccountSecurity.TOTP, new Accounts.UserRef(userId));
        if (!state.enabled() || !state.hasSecret()) {
            return false;
        }
        OptionalLong step = Totp.matchingStep(totpSecrets.decrypt(state.secret()), code, clock.instant());
        if (step.isEmpty()) {
            return false;
        }
        try {
            store.call(AccountSecurity.USE_TOTP_STEP, new AccountSecurity.TotpStep(userId, step.getAsLong()));
            return true;
        } catch (DomainError e) {
            if (e.kind() == DomainError.Kind.CONFLICT) {
                return false;
            }
            throw e;
        }
    }

    private void logout(ServerRequest request, ServerResponse response) {
        Optional<SessionTokens.Session> session = SessionCookies.token(request).flatMap(tokens::session);
        if (session.isPresent() && revocations.allowed(session.get())) {
            revocations.revoke(session.get());
            audit(request, session.get().userId(), "logout", "");
        }
        cookies.clear(request, response);
        HttpJson.send(response, 200, Json.object().put("signed_out", true));
    }

    private void signOutEverywhere(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.sessionOnly(request);
        long epoch = revocations.signOutEverywhere(caller.userId());
        audit(request, caller.userId(), "sign_out_everywhere", "");
        cookies.clear(request, response);
        HttpJson.send(response, 200, Json.object().put("signed_out", true).put("session_epoch", epoch));
    }

    /** The caller and their teams with their role in each (a key: its own team and role only). */
    private void currentUser(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.of(request);
        Accounts.User user = store.call(Accounts.GET_USER, new Accounts.UserRef(caller.userId()));
        List<Teams.TeamSummary> teams = store.call(Teams.LIST, new Scoped(caller.scope())).teams();
        boolean totp = store.call(AccountSecurity.TOTP, new Accounts.UserRef(caller.userId())).enabled();
        HttpJson.send(response, 200, new Profile(user.id(), user.email(), teams, totp));
    }

    /** A key for one of the caller's teams ({@code team_id}, default their first) with a role up to their own. */
    private void createApiKey(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.sessionOnly(request);
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        String name = Json.text(body, "name").strip();
        if (name.isEmpty() || name.length() > 100) {
            throw DomainError.invalid("name is required (at most 100 characters)");
        }
        Role role = null;
        if (body.hasNonNull("role")) {
            role = Role.parse(Json.text(body, "role"))
                    .orElseThrow(() -> DomainError.invalid("role must be member, admin or owner"));
        }
        JsonNode teamId = body.path("team_id");
        if (!teamId.isMissingNode() && !teamId.isNull() && !teamId.canConvertToInt()) {
            throw DomainError.invalid("team_id must be a team's id");
        }
        ApiKeys.IssuedKey created = apiKeys.create(caller.userId(), name, teamId.asInt(0), role);
        audit(request, caller.userId(), created.teamId(), "api_key_created", name + " (" + created.role().label() + ")");
        HttpJson.send(response, 201, created);
    }

    private void listApiKeys(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, apiKeys.list(Caller.sessionOnly(request).userId()));
    }

    private void revokeApiKey(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.sessionOnly(request);
        long keyId;
        try {
            keyId = Long.parseLong(request.path().pathParameters().get("id"));
        } catch (NumberFormatException e) {
            throw DomainError.notFound("no such API key");
        }
        Accounts.RevokedApiKey revoked = apiKeys.revoke(caller, keyId);
        audit(request, caller.userId(), revoked.teamId(), "api_key_revoked", revoked.name());
        HttpJson.send(response, 200, revoked);
    }

    /**
     * A new password for the signed-in user, who proves it is them with the current one. Every other
     * session ends; this one goes on with a fresh cookie.
     */
    private void changePassword(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.sessionOnly(request);
        String account = "user:" + caller.userId();
        if (guard.limited(request, response) || guard.locked(request, account, response)) {
            return;
        }
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        String current = Json.text(body, "current_password");
        String fresh = password(Json.text(body, "new_password"));
        String hash = store.call(AccountSecurity.CREDENTIALS, new Accounts.UserRef(caller.userId())).passwordHash();
        if (!passwords.verify(current, hash)) {
            guard.failed(request, account);
            audit(request, caller.userId(), "password_change_failed", "wrong current password");
            throw DomainError.forbidden("the current password is wrong");
        }
        guard.succeeded(request, account);
        long epoch = store.call(AccountSecurity.SET_PASSWORD,
                new AccountSecurity.NewPassword(caller.userId(), passwords.hash(fresh))).sessionEpoch();
        revocations.knowEpoch(caller.userId(), epoch);
        startSession(request, response, caller.userId(), epoch);
        audit(request, caller.userId(), "password_changed", "");
        HttpJson.send(response, 200, Json.object().put("changed", true));
    }

    /**
     * Sends a reset link to the address if it has an account. The answer is the same either way, so it
     * does not tell who has an account. With SMTP set the link goes into the mail outbox (the answer does not
     * wait for the SMTP server) and is not logged; without, it is written to the server log for the operator
     * to pass on (the one secret we log, on purpose, at WARNING so it stands out).
     */
    private void requestPasswordReset(ServerRequest request, ServerResponse response) {
        if (guard.limited(request, response)) {
            return;
        }
        String email = email(HttpJson.object(request, BODY_LIMIT));
        String account = "reset:" + email;
        if (guard.locked(request, account, response)) {
            return;
        }
        guard.failed(request, account); // every request counts: a flood of reset mails to one address is throttled too
        String token = RandomTokens.next();
        AccountSecurity.ResetLink answer = store.call(AccountSecurity.BEGIN_RESET, new AccountSecurity.ResetRequest(email,
                Hashes.sha256Hex(token), clock.instant().plus(RESET_LIFETIME).getEpochSecond()));
        if (answer.send()) {
            long userId = answer.userId();
            audit(request, userId, "password_reset_requested", "");
            // never from a Host a stranger chose: the link would lead the account's owner to the stranger's site
            Optional<String> trusted = publicUrl.trustedBase(request);
            if (mailConfigured && trusted.isPresent()) {
                store.call(Mail.QUEUE, new Mail.Letter("password-reset", email, java.util.Map.of(
                        "link", trusted.get() + "/reset-password?token=" + token, "minutes", Long.toString(RESET_LIFETIME.toMinutes())),
                        clock.instant().plus(RESET_LIFETIME).getEpochSecond()));
            } else if (mailConfigured) {
                LOG.warning(() -> "password reset requested for user " + userId + ", but no mail was sent: the request's Host is "
                        + "not trusted for links; set HITKEEP_PUBLIC_URL (or HITKEEP_ALLOWED_HOSTS)");
            } else {
                String base = trusted.orElse("<set HITKEEP_PUBLIC_URL>");
                LOG.warning(() -> "password reset requested for user " + userId + "; no e-mail delivery is configured, "
                        + "so pass this link on to them (valid " + RESET_LIFETIME.toMinutes() + " min, once): "
                        + base + "/reset-password?token=" + token);
            }
        }
        HttpJson.send(response, 202, Json.object().put("sent", true)
                .put("message", "if the address has an account, a reset link is on its way"));
    }

    /** Sets a new password with a reset link's token; every session of the user ends. */
    private void resetPassword(ServerRequest request, ServerResponse response) {
        if (guard.limited(request, response)) {
            return;
        }
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        String token = Json.text(body, "token").strip();
        String fresh = password(body);
        if (token.isEmpty() || token.length() > 100) {
            throw DomainError.notFound("this reset link is unknown, used or expired; ask for a new one");
        }
        AccountSecurity.UserEpoch done = store.call(AccountSecurity.FINISH_RESET,
                new AccountSecurity.ResetConfirmation(Hashes.sha256Hex(token), passwords.hash(fresh)));
        long userId = done.userId();
        revocations.knowEpoch(userId, done.sessionEpoch());
        audit(request, userId, "password_reset", "");
        HttpJson.send(response, 200, Json.object().put("reset", true));
    }


    /** Starts TOTP enrolment: a new secret, shown once, to put into an authenticator app. */
    private void startTotp(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.sessionOnly(request);
        String email = store.call(Accounts.GET_USER, new Accounts.UserRef(caller.userId())).email();
        String secret = Totp.newSecret();
        store.call(AccountSecurity.BEGIN_TOTP, new AccountSecurity.TotpSecret(caller.userId(), totpSecrets.encrypt(secret)));
        String uri = Totp.uri(email, secret);
        HttpJson.send(response, 200, Json.object().put("secret", secret).put("otpauth_uri", uri).put("qr_svg", QrCodes.svg(uri))
                .put("digits", Totp.DIGITS).put("period", Totp.STEP_SECONDS).put("algorithm", "SHA1"));
    }

    /** Turns TOTP on with a first code from the app; answers the ten recovery codes, shown only now. */
    private void confirmTotp(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.sessionOnly(request);
        String code = Json.text(HttpJson.object(request, BODY_LIMIT), "code");
        AccountSecurity.TotpState state = store.call(AccountSecurity.TOTP, new Accounts.UserRef(caller.userId()));
        if (state.enabled()) {
            throw DomainError.conflict("two-factor authentication is already on");
        }
        if (!state.hasSecret()) {
            throw DomainError.conflict("start the enrolment first (POST /api/user/totp)");
        }
        OptionalLong step = Totp.matchingStep(totpSecrets.decrypt(state.secret()), code, clock.instant());
        if (step.isEmpty()) {
            throw DomainError.invalid("the code does not match; check the app's clock and try the next code");
        }
        List<String> codes = Totp.newRecoveryCodes();
        store.call(AccountSecurity.ENABLE_TOTP, new AccountSecurity.TotpEnable(caller.userId(), step.getAsLong(),
                codes.stream().map(Totp::recoveryHash).toList()));
        audit(request, caller.userId(), "totp_enabled", "");
        HttpJson.send(response, 200, new TotpEnabled(true, codes));
    }

    /** Turns TOTP off; needs a fresh code, so a stolen session alone cannot remove the second factor. */
    private void disableTotp(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.sessionOnly(request);
        String account = "user:" + caller.userId();
        if (guard.locked(request, account, response)) {
            return;
        }
        String code = Json.text(HttpJson.object(request, BODY_LIMIT), "code");
        AccountSecurity.TotpState state = store.call(AccountSecurity.TOTP, new Accounts.UserRef(caller.userId()));
        if (!state.enabled()) {
            throw DomainError.conflict("two-factor authentication is not on");
        }
        OptionalLong step = Totp.matchingStep(totpSecrets.decrypt(state.secret()), code, clock.instant());
        if (step.isEmpty()) {
            guard.failed(request, account);
            throw DomainError.invalid("the code does not match");
        }
        AccountSecurity.TotpSwitch disabled = store.call(AccountSecurity.DISABLE_TOTP,
                new AccountSecurity.TotpStep(caller.userId(), step.getAsLong()));
        guard.succeeded(request, account);
        audit(request, caller.userId(), "totp_disabled", "");
        HttpJson.send(response, 200, disabled);
    }

    private void audit(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(AccountSecurity.AUDIT,
                new AccountSecurity.AuditQuery(Caller.sessionOnly(request).userId(), AUDIT_LIMIT)));
    }

    private void audit(ServerRequest request, long userId, String event, String detail) {
        auditTrail.record(request, userId, event, detail);
    }

    private void audit(ServerRequest request, long userId, int teamId, String event, String detail) {
        auditTrail.record(request, userId, teamId, event, detail);
    }

    /** A new password from {@code body}: 10 to 1024 characters. */
    static String password(JsonNode body) {
        return password(Json.text(body, "password"));
    }

    /** A password as every way of setting one takes it (the HTTP routes, the operator's CLI). */
    public static String password(String password) {
        if (password.length() < 10) {
            throw DomainError.invalid("password must be at least 10 characters long");
        }
        if (password.length() > 1024) {
            throw DomainError.invalid("password is longer than 1024 characters");
        }
        return password;
    }

    static String email(JsonNode body) {
        return email(Json.text(body, "email"));
    }

    /** An e-mail address as accounts store it (lower case), or a 400. */
    public static String email(String typed) {
        String email = typed.strip().toLowerCase(Locale.ROOT);
        int at = email.indexOf('@');
        if (at <= 0 || at == email.length() - 1 || email.length() > 254 || email.contains(" ")) {
            throw DomainError.invalid("email must be an e-mail address");
        }
        return email;
    }

    private void startSession(ServerRequest request, ServerResponse response, long userId, long epoch) {
        cookies.start(request, response, userId, epoch);
    }

    private void startSession(ServerRequest request, ServerResponse response, long userId, long epoch, boolean remember) {
        cookies.start(request, response, userId, epoch, remember);
    }
}
