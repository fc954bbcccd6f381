package io.hitkeep.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.StoreOperation;
import java.util.List;
import io.hitkeep.writer.Database;

import io.hitkeep.writer.Sql;
import io.hitkeep.writer.SqlFile;

import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Account security as the auth role stores it: revoked sessions and session epochs, TOTP state and
 * recovery codes (hashes only), the audit log. Checks that must not race between auth processes (a TOTP
 * step used once, a recovery code used once) happen here, under the write lock. Thread-safe.
 */
public final class AccountSecurity {
    public static final StoreOperation<Accounts.UserRef, Credentials> CREDENTIALS =
            StoreOperation.of("users.credentials", Accounts.UserRef.class, Credentials.class);

    /** What a password is checked against; stays between auth and the writer. */
    public record Credentials(String passwordHash) {}
    public static final StoreOperation<NewPassword, SessionEpoch> SET_PASSWORD =
            StoreOperation.of("users.set-password", NewPassword.class, SessionEpoch.class);
    public static final StoreOperation<ResetRequest, ResetLink> BEGIN_RESET =
            StoreOperation.of("password-reset.begin", ResetRequest.class, ResetLink.class);
    public static final StoreOperation<ResetConfirmation, UserEpoch> FINISH_RESET =
            StoreOperation.of("password-reset.finish", ResetConfirmation.class, UserEpoch.class);
    public static final StoreOperation<StoreOperation.None, SessionState> SESSION_STATE =
            StoreOperation.of("sessions.state", StoreOperation.None.class, SessionState.class);
    public static final StoreOperation<RevokedSession, RevokedToken> REVOKE_SESSION =
            StoreOperation.of("sessions.revoke", RevokedSession.class, RevokedToken.class);
    public static final StoreOperation<Accounts.UserRef, SessionEpoch> SIGN_OUT_EVERYWHERE =
            StoreOperation.of("sessions.sign-out-everywhere", Accounts.UserRef.class, SessionEpoch.class);
    public static final StoreOperation<Accounts.UserRef, TotpState> TOTP =
            StoreOperation.of("totp.get", Accounts.UserRef.class, TotpState.class);
    public static final StoreOperation<TotpSecret, TotpPending> BEGIN_TOTP =
            StoreOperation.of("totp.begin", TotpSecret.class, TotpPending.class);
    public static final StoreOperation<TotpEnable, TotpSwitch> ENABLE_TOTP =
            StoreOperation.of("totp.enable", TotpEnable.class, TotpSwitch.class);
    public static final StoreOperation<TotpStep, TotpSwitch> DISABLE_TOTP =
            StoreOperation.of("totp.disable", TotpStep.class, TotpSwitch.class);
    public static final StoreOperation<TotpStep, UsedStep> USE_TOTP_STEP =
            StoreOperation.of("totp.use-step", TotpStep.class, UsedStep.class);
    public static final StoreOperation<RecoveryCode, RecoveryCodesLeft> USE_RECOVERY_CODE =
            StoreOperation.of("totp.use-recovery-code", RecoveryCode.class, RecoveryCodesLeft.class);
    public static final StoreOperation<AuditEntry, AuditAdded> ADD_AUDIT =
            StoreOperation.of("audit.add", AuditEntry.class, AuditAdded.class);
    public static final StoreOperation<AuditQuery, AuditLog> AUDIT = StoreOperation.of("audit.list", AuditQuery.class, AuditLog.class);

    public record NewPassword(long userId, String passwordHash) {}

    public record ResetRequest(String email, String tokenHash, long expiresAt) {}

    public record ResetConfirmation(String tokenHash, String passwordHash) {}

    public record RevokedSession(String jti, long expiresAt) {}

    /** A TOTP secret, encrypted by auth before it is stored. */
    public record TotpSecret(long userId, String secret) {}

    public record TotpEnable(long userId, long step, List<String> recoveryHashes) {}

    public record TotpStep(long userId, long step) {}

    public record RecoveryCode(long userId, String codeHash) {}

    /** {@code teamId} 0: an account event of no team. */
    public record AuditEntry(long userId, String event, String detail, String ip, int teamId) {}

    public record AuditQuery(long userId, int limit) {}

    /** The user's session epoch after it moved on: tokens that carry an older one are refused. */
    public record SessionEpoch(long sessionEpoch) {}

    /** Whose session epoch moved on, and to what. */
    public record UserEpoch(long userId, long sessionEpoch) {}

    /**
     * Whether to send the reset link, and to whom; {@code user_id} is left out when there is nobody to send to
     * (an unknown address), as it always was.
     */
    public record ResetLink(boolean send, @JsonInclude(JsonInclude.Include.NON_DEFAULT) long userId) {}

    /** Unexpired revoked token ids with their expiry (epoch seconds), and every raised session epoch by user id. */
    public record SessionState(Map<String, Long> revoked, Map<Long, Long> epochs) {}

    /** A token id recorded as used up; {@code firstTime}: it was not before. */
    public record RevokedToken(String revoked, boolean firstTime) {}

    /**
     * A user's TOTP state: whether it is on, the last step used, and the encrypted secret (pending or active),
     * left out when there is none.
     */
    public record TotpState(long sessionEpoch, boolean enabled, long lastStep,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {
        static final TotpState NONE = new TotpState(0, false, 0, null);

        public boolean hasSecret() {
            return secret != null;
        }
    }

    /** A TOTP secret stored, waiting for a first code to turn it on. */
    public record TotpPending(boolean pending) {}

    /** Whether TOTP is on after turning it on or off. */
    public record TotpSwitch(boolean enabled) {}

    /** The TOTP step now used up. */
    public record UsedStep(long step) {}

    public record RecoveryCodesLeft(long recoveryCodesLeft) {}

    public record AuditAdded(boolean added) {}

    /** One event of the user's own audit log; {@code time} is ISO-8601. */
    public record AuditEvent(String time, String event, String detail, String ip) {}

    public record AuditLog(List<AuditEvent> events) {
        public AuditLog {
            events = List.copyOf(events);
        }
    }

    /** The statements of {@code sql/account_security.sql}, each named there like its constant, in lower case with dashes. */
    private enum Query implements SqlFile.Named {
        UNEXPIRED_REVOKED_TOKENS, RAISED_SESSION_EPOCHS, DELETE_EXPIRED_REVOKED_TOKENS, COUNT_REVOKED_TOKEN,
        INSERT_REVOKED_TOKEN, RAISE_SESSION_EPOCH, PASSWORD_HASH_OF_USER, USER_ID_BY_EMAIL,
        INSERT_PASSWORD_RESET, USER_OF_OPEN_PASSWORD_RESET, USE_OPEN_PASSWORD_RESETS, SET_PASSWORD_HASH,
        SET_TOTP_SECRET, TURN_TOTP_ON, INSERT_RECOVERY_CODE, TURN_TOTP_OFF, UNUSED_RECOVERY_CODE,
        MARK_RECOVERY_CODE_USED, COUNT_UNUSED_RECOVERY_CODES, INSERT_AUDIT_EVENT, AUDIT_EVENTS_OF_USER,
        SET_TOTP_LAST_STEP, DELETE_RECOVERY_CODES, ENSURE_SECURITY_ROW, SECURITY_STATE;

        @Override
        public String file() {
            return "sql/account_security.sql";
        }
    }

    private final Database database;

    AccountSecurity(Database database) {
        this.database = database;
    }

    /** Unexpired revoked token ids with their expiry, and every user's session epoch. */
    SessionState sessionState() {
        return database.read(sql -> {
            Map<String, Long> revoked = new LinkedHashMap<>();
            for (Map.Entry<String, Long> token : sql.list(Query.UNEXPIRED_REVOKED_TOKENS, row -> Map.entry(row.getString(1), row.getLong(2)))) {
                revoked.put(token.getKey(), token.getValue());
            }
            Map<Long, Long> epochs = new LinkedHashMap<>();
            for (Map.Entry<Long, Long> user : sql.list(Query.RAISED_SESSION_EPOCHS, row -> Map.entry(row.getLong(1), row.getLong(2)))) {
                epochs.put(user.getKey(), user.getValue());
            }
            return new SessionState(revoked, epochs);
        });
    }

    /**
     * Records a token id as used up; {@code first_time} says whether it was new, which makes a single-use
     * token (a passkey ceremony) single-use across auth processes: the check and the record are one write.
     */
    RevokedToken revoke(String jti, long expiresAtSeconds) {
        return database.write("revoke session", sql -> {
            sql.update(Query.DELETE_EXPIRED_REVOKED_TOKENS);
            boolean firstTime = sql.number(Query.COUNT_REVOKED_TOKEN, "jti", jti) == 0;
            sql.update(Query.INSERT_REVOKED_TOKEN, "jti", jti, "expires_at", expiresAtSeconds);
            return new RevokedToken(jti, firstTime);
        });
    }

    /** Raises the user's session epoch: every token issued before is refused from now on. */
    SessionEpoch signOutEverywhere(long userId) {
        return database.write("sign out everywhere", sql -> {
            ensureRow(sql, userId);
            sql.update(Query.RAISE_SESSION_EPOCH, "user_id", userId);
            return new SessionEpoch(state(sql, userId).sessionEpoch());
        });
    }

    /** The user's password hash, for checking the current password before a change. */
    Credentials credentials(long userId) {
        return database.read(sql -> sql.first(Query.PASSWORD_HASH_OF_USER, row -> new Credentials(row.getString(1)),
                "user_id", userId).orElseThrow(() -> DomainError.notFound("no such user")));
    }

    /** A new password; every existing session of the user ends (the epoch moves on), which the answer carries. */
    SessionEpoch setPassword(long userId, String passwordHash) {
        return database.write("set password", sql -> {
            long epoch = replacePassword(sql, userId, passwordHash);
            return new SessionEpoch(epoch);
        });
    }

    /**
     * Records a reset link for the user with that e-mail address; an unknown address is answered the same
     * way by the caller, so the answer says whether to send, not whether the account exists.
     */
    ResetLink beginReset(String email, String tokenHash, long expiresAtSeconds) {
        return database.write("begin password reset", sql -> {
            Optional<Long> user = sql.first(Query.USER_ID_BY_EMAIL, row -> row.getLong(1), "email", email);
            if (user.isEmpty()) {
                return new ResetLink(false, 0);
            }
            long userId = user.get();
            sql.update(Query.INSERT_PASSWORD_RESET, "token_hash", tokenHash, "user_id", userId, "expires_at", expiresAtSeconds);
            return new ResetLink(true, userId);
        });
    }

    /** Uses a reset link once: sets the password, ends every session, and voids the user's other open links. */
    UserEpoch finishReset(String tokenHash, String passwordHash) {
        return database.write("reset password", sql -> {
            long userId = sql.first(Query.USER_OF_OPEN_PASSWORD_RESET, row -> row.getLong(1), "token_hash", tokenHash)
                    .orElseThrow(() -> DomainError.notFound("this reset link is unknown, used or expired; ask for a new one"));
            sql.update(Query.USE_OPEN_PASSWORD_RESETS, "user_id", userId);
            long epoch = replacePassword(sql, userId, passwordHash);
            return new UserEpoch(userId, epoch);
        });
    }

    private long replacePassword(Sql sql, long userId, String passwordHash) throws SQLException {
        sql.update(Query.SET_PASSWORD_HASH, "password_hash", passwordHash, "user_id", userId);
        ensureRow(sql, userId);
        sql.update(Query.RAISE_SESSION_EPOCH, "user_id", userId);
        return state(sql, userId).sessionEpoch();
    }

    /** The user's TOTP state: {@code enabled}, {@code secret} (pending or active, if any), {@code last_step}. */
    TotpState totp(long userId) {
        return database.read(sql -> state(sql, userId));
    }

    /** Stores a new pending secret; a 409 while TOTP is active (disable it first). */
    TotpPending beginTotp(long userId, String secret) {
        return database.write("start TOTP enrolment", sql -> {
            ensureRow(sql, userId);
            if (state(sql, userId).enabled()) {
                throw DomainError.conflict("two-factor authentication is already on; turn it off first");
            }
            sql.update(Query.SET_TOTP_SECRET, "secret", secret, "user_id", userId);
            return new TotpPending(true);
        });
    }

    /** Activates the pending secret with the step of a verified code, replacing the recovery codes. */
    TotpSwitch enableTotp(long userId, long step, List<String> recoveryHashes) {
        return database.write("enable TOTP", sql -> {
            TotpState state = state(sql, userId);
            if (state.enabled()) {
                throw DomainError.conflict("two-factor authentication is already on");
            }
            if (!state.hasSecret()) {
                throw DomainError.conflict("start the enrolment first (POST /api/user/totp)");
            }
            useStep(sql, userId, step, state);
            sql.update(Query.TURN_TOTP_ON, "user_id", userId);
            sql.update(Query.DELETE_RECOVERY_CODES, "user_id", userId);
            for (String hash : recoveryHashes) {
                sql.update(Query.INSERT_RECOVERY_CODE, "user_id", userId, "code_hash", hash);
            }
            return new TotpSwitch(true);
        });
    }

    /** Turns TOTP off with the step of a fresh verified code; its recovery codes go too. */
    TotpSwitch disableTotp(long userId, long step) {
        return database.write("disable TOTP", sql -> {
            TotpState state = state(sql, userId);
            if (!state.enabled()) {
                throw DomainError.conflict("two-factor authentication is not on");
            }
            useStep(sql, userId, step, state);
            sql.update(Query.TURN_TOTP_OFF, "user_id", userId);
            sql.update(Query.DELETE_RECOVERY_CODES, "user_id", userId);
            return new TotpSwitch(false);
        });
    }

    /** Records a verified code's step; a 409 when that step (or a later one) was used already: a replay. */
    UsedStep useTotpStep(long userId, long step) {
        return database.write("use TOTP code", sql -> {
            useStep(sql, userId, step, state(sql, userId));
            return new UsedStep(step);
        });
    }

    /** Marks an unused recovery code with that hash as used; a 404 when there is none. */
    RecoveryCodesLeft useRecoveryCode(long userId, String codeHash) {
        return database.write("use recovery code", sql -> {
            long rowId = sql.first(Query.UNUSED_RECOVERY_CODE, row -> row.getLong(1), "user_id", userId, "code_hash", codeHash)
                    .orElseThrow(() -> DomainError.notFound("no such unused recovery code"));
            sql.update(Query.MARK_RECOVERY_CODE_USED, "rowid", rowId);
            return new RecoveryCodesLeft(sql.number(Query.COUNT_UNUSED_RECOVERY_CODES, "user_id", userId));
        });
    }

    AuditAdded addAudit(long userId, String event, String detail, String ip, int teamId) {
        return database.write("add audit event", sql -> {
            sql.update(Query.INSERT_AUDIT_EVENT, "user_id", userId, "event", event, "detail", detail, "ip", ip,
                    "team_id", teamId == 0 ? null : teamId);
            return new AuditAdded(true);
        });
    }

    /** The user's audit events, newest first. */
    AuditLog audit(long userId, int limit) {
        return new AuditLog(database.read(sql -> sql.list(Query.AUDIT_EVENTS_OF_USER, row -> new AuditEvent(
                Instant.ofEpochMilli(row.getLong(1)).toString(), row.getString(2), row.getString(3), row.getString(4)),
                "user_id", userId, "limit", limit)));
    }

    private static void useStep(Sql sql, long userId, long step, TotpState state) throws SQLException {
        if (step <= state.lastStep()) {
            throw DomainError.conflict("this code was used already; wait for the next one");
        }
        sql.update(Query.SET_TOTP_LAST_STEP, "step", step, "user_id", userId);
    }

    private static void ensureRow(Sql sql, long userId) throws SQLException {
        sql.update(Query.ENSURE_SECURITY_ROW, "user_id", userId);
    }

    private static TotpState state(Sql sql, long userId) throws SQLException {
        return sql.first(Query.SECURITY_STATE, row -> new TotpState(row.getLong(1), row.getBoolean(3), row.getLong(4), row.getString(2)),
                "user_id", userId).orElse(TotpState.NONE);
    }
}
