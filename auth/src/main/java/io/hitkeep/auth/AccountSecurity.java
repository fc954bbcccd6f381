package io.hitkeep.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.StoreOperation;
import java.util.List;
import io.hitkeep.core.Scope;
import io.hitkeep.writer.Database;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Json;

import io.hitkeep.writer.Sql;
import io.hitkeep.writer.SqlFile;

import java.sql.SQLException;
import java.time.Instant;
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
    public static final StoreOperation<NewPassword, JsonNode> SET_PASSWORD =
            StoreOperation.of("users.set-password", NewPassword.class, JsonNode.class);
    public static final StoreOperation<ResetRequest, JsonNode> BEGIN_RESET =
            StoreOperation.of("password-reset.begin", ResetRequest.class, JsonNode.class);
    public static final StoreOperation<ResetConfirmation, JsonNode> FINISH_RESET =
            StoreOperation.of("password-reset.finish", ResetConfirmation.class, JsonNode.class);
    public static final StoreOperation<StoreOperation.None, JsonNode> SESSION_STATE =
            StoreOperation.of("sessions.state", StoreOperation.None.class, JsonNode.class);
    public static final StoreOperation<RevokedSession, JsonNode> REVOKE_SESSION =
            StoreOperation.of("sessions.revoke", RevokedSession.class, JsonNode.class);
    public static final StoreOperation<Accounts.UserRef, JsonNode> SIGN_OUT_EVERYWHERE =
            StoreOperation.of("sessions.sign-out-everywhere", Accounts.UserRef.class, JsonNode.class);
    public static final StoreOperation<Accounts.UserRef, JsonNode> TOTP = StoreOperation.of("totp.get", Accounts.UserRef.class, JsonNode.class);
    public static final StoreOperation<TotpSecret, JsonNode> BEGIN_TOTP = StoreOperation.of("totp.begin", TotpSecret.class, JsonNode.class);
    public static final StoreOperation<TotpEnable, JsonNode> ENABLE_TOTP = StoreOperation.of("totp.enable", TotpEnable.class, JsonNode.class);
    public static final StoreOperation<TotpStep, JsonNode> DISABLE_TOTP = StoreOperation.of("totp.disable", TotpStep.class, JsonNode.class);
    public static final StoreOperation<TotpStep, JsonNode> USE_TOTP_STEP = StoreOperation.of("totp.use-step", TotpStep.class, JsonNode.class);
    public static final StoreOperation<RecoveryCode, JsonNode> USE_RECOVERY_CODE =
            StoreOperation.of("totp.use-recovery-code", RecoveryCode.class, JsonNode.class);
    public static final StoreOperation<AuditEntry, JsonNode> ADD_AUDIT = StoreOperation.of("audit.add", AuditEntry.class, JsonNode.class);
    public static final StoreOperation<AuditQuery, JsonNode> AUDIT = StoreOperation.of("audit.list", AuditQuery.class, JsonNode.class);

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
    ObjectNode sessionState() {
        return database.read(sql -> {
            ObjectNode revoked = Json.object();
            for (Map.Entry<String, Long> token : sql.list(Query.UNEXPIRED_REVOKED_TOKENS, row -> Map.entry(row.getString(1), row.getLong(2)))) {
                revoked.put(token.getKey(), token.getValue());
            }
            ObjectNode epochs = Json.object();
            for (Map.Entry<Long, Long> user : sql.list(Query.RAISED_SESSION_EPOCHS, row -> Map.entry(row.getLong(1), row.getLong(2)))) {
                epochs.put(Long.toString(user.getKey()), user.getValue());
            }
            ObjectNode state = Json.object();
            state.set("revoked", revoked);
            state.set("epochs", epochs);
            return state;
        });
    }

    /**
     * Records a token id as used up; {@code first_time} says whether it was new, which makes a single-use
     * token (a passkey ceremony) single-use across auth processes: the check and the record are one write.
     */
    ObjectNode revoke(String jti, long expiresAtSeconds) {
        return database.write("revoke session", sql -> {
            sql.update(Query.DELETE_EXPIRED_REVOKED_TOKENS);
            boolean firstTime = sql.number(Query.COUNT_REVOKED_TOKEN, "jti", jti) == 0;
            sql.update(Query.INSERT_REVOKED_TOKEN, "jti", jti, "expires_at", expiresAtSeconds);
            return Json.object().put("revoked", jti).put("first_time", firstTime);
        });
    }

    /** Raises the user's session epoch: every token issued before is refused from now on. */
    ObjectNode signOutEverywhere(long userId) {
        return database.write("sign out everywhere", sql -> {
            ensureRow(sql, userId);
            sql.update(Query.RAISE_SESSION_EPOCH, "user_id", userId);
            return Json.object().put("session_epoch", state(sql, userId).get("session_epoch").asLong());
        });
    }

    /** The user's password hash, for checking the current password before a change. */
    Credentials credentials(long userId) {
        return database.read(sql -> sql.first(Query.PASSWORD_HASH_OF_USER, row -> new Credentials(row.getString(1)),
                "user_id", userId).orElseThrow(() -> DomainError.notFound("no such user")));
    }

    /** A new password; every existing session of the user ends (the epoch moves on), which the answer carries. */
    ObjectNode setPassword(long userId, String passwordHash) {
        return database.write("set password", sql -> {
            long epoch = replacePassword(sql, userId, passwordHash);
            return Json.object().put("session_epoch", epoch);
        });
    }

    /**
     * Records a reset link for the user with that e-mail address; an unknown address is answered the same
     * way by the caller, so the answer says whether to send, not whether the account exists.
     */
    ObjectNode beginReset(String email, String tokenHash, long expiresAtSeconds) {
        return database.write("begin password reset", sql -> {
            Optional<Long> user = sql.first(Query.USER_ID_BY_EMAIL, row -> row.getLong(1), "email", email);
            if (user.isEmpty()) {
                return Json.object().put("send", false);
            }
            long userId = user.get();
            sql.update(Query.INSERT_PASSWORD_RESET, "token_hash", tokenHash, "user_id", userId, "expires_at", expiresAtSeconds);
            return Json.object().put("send", true).put("user_id", userId);
        });
    }

    /** Uses a reset link once: sets the password, ends every session, and voids the user's other open links. */
    ObjectNode finishReset(String tokenHash, String passwordHash) {
        return database.write("reset password", sql -> {
            long userId = sql.first(Query.USER_OF_OPEN_PASSWORD_RESET, row -> row.getLong(1), "token_hash", tokenHash)
                    .orElseThrow(() -> DomainError.notFound("this reset link is unknown, used or expired; ask for a new one"));
            sql.update(Query.USE_OPEN_PASSWORD_RESETS, "user_id", userId);
            long epoch = replacePassword(sql, userId, passwordHash);
            return Json.object().put("user_id", userId).put("session_epoch", epoch);
        });
    }

    private long replacePassword(Sql sql, long userId, String passwordHash) throws SQLException {
        sql.update(Query.SET_PASSWORD_HASH, "password_hash", passwordHash, "user_id", userId);
        ensureRow(sql, userId);
        sql.update(Query.RAISE_SESSION_EPOCH, "user_id", userId);
        return state(sql, userId).get("session_epoch").asLong();
    }

    /** The user's TOTP state: {@code enabled}, {@code secret} (pending or active, if any), {@code last_step}. */
    ObjectNode totp(long userId) {
        return database.read(sql -> state(sql, userId));
    }

    /** Stores a new pending secret; a 409 while TOTP is active (disable it first). */
    ObjectNode beginTotp(long userId, String secret) {
        return database.write("start TOTP enrolment", sql -> {
            ensureRow(sql, userId);
            if (state(sql, userId).get("enabled").asBoolean()) {
                throw DomainError.conflict("two-factor authentication is already on; turn it off first");
            }
            sql.update(Query.SET_TOTP_SECRET, "secret", secret, "user_id", userId);
            return Json.object().put("pending", true);
        });
    }

    /** Activates the pending secret with the step of a verified code, replacing the recovery codes. */
    ObjectNode enableTotp(long userId, long step, List<String> recoveryHashes) {
        return database.write("enable TOTP", sql -> {
            ObjectNode state = state(sql, userId);
            if (state.get("enabled").asBoolean()) {
                throw DomainError.conflict("two-factor authentication is already on");
            }
            if (!state.has("secret")) {
                throw DomainError.conflict("start the enrolment first (POST /api/user/totp)");
            }
            useStep(sql, userId, step, state);
            sql.update(Query.TURN_TOTP_ON, "user_id", userId);
            sql.update(Query.DELETE_RECOVERY_CODES, "user_id", userId);
            for (String hash : recoveryHashes) {
                sql.update(Query.INSERT_RECOVERY_CODE, "user_id", userId, "code_hash", hash);
            }
            return Json.object().put("enabled", true);
        });
    }

    /** Turns TOTP off with the step of a fresh verified code; its recovery codes go too. */
    ObjectNode disableTotp(long userId, long step) {
        return database.write("disable TOTP", sql -> {
            ObjectNode state = state(sql, userId);
            if (!state.get("enabled").asBoolean()) {
                throw DomainError.conflict("two-factor authentication is not on");
            }
            useStep(sql, userId, step, state);
            sql.update(Query.TURN_TOTP_OFF, "user_id", userId);
            sql.update(Query.DELETE_RECOVERY_CODES, "user_id", userId);
            return Json.object().put("enabled", false);
        });
    }

    /** Records a verified code's step; a 409 when that step (or a later one) was used already: a replay. */
    ObjectNode useTotpStep(long userId, long step) {
        return database.write("use TOTP code", sql -> {
            useStep(sql, userId, step, state(sql, userId));
            return Json.object().put("step", step);
        });
    }

    /** Marks an unused recovery code with that hash as used; a 404 when there is none. */
    ObjectNode useRecoveryCode(long userId, String codeHash) {
        return database.write("use recovery code", sql -> {
            long rowId = sql.first(Query.UNUSED_RECOVERY_CODE, row -> row.getLong(1), "user_id", userId, "code_hash", codeHash)
                    .orElseThrow(() -> DomainError.notFound("no such unused recovery code"));
            sql.update(Query.MARK_RECOVERY_CODE_USED, "rowid", rowId);
            return Json.object().put("recovery_codes_left", sql.number(Query.COUNT_UNUSED_RECOVERY_CODES, "user_id", userId));
        });
    }

    ObjectNode addAudit(long userId, String event, String detail, String ip, int teamId) {
        return database.write("add audit event", sql -> {
            sql.update(Query.INSERT_AUDIT_EVENT, "user_id", userId, "event", event, "detail", detail, "ip", ip,
                    "team_id", teamId == 0 ? null : teamId);
            return Json.object().put("added", true);
        });
    }

    /** The user's audit events, newest first. */
    ObjectNode audit(long userId, int limit) {
        return database.read(sql -> {
            ObjectNode answer = Json.object();
            answer.putArray("events").addAll(sql.list(Query.AUDIT_EVENTS_OF_USER, row -> Json.object()
                    .put("time", Instant.ofEpochMilli(row.getLong(1)).toString()).put("event", row.getString(2))
                    .put("detail", row.getString(3)).put("ip", row.getString(4)), "user_id", userId, "limit", limit));
            return answer;
        });
    }

    private static void useStep(Sql sql, long userId, long step, ObjectNode state) throws SQLException {
        if (step <= state.get("last_step").asLong()) {
            throw DomainError.conflict("this code was used already; wait for the next one");
        }
        sql.update(Query.SET_TOTP_LAST_STEP, "step", step, "user_id", userId);
    }

    private static void ensureRow(Sql sql, long userId) throws SQLException {
        sql.update(Query.ENSURE_SECURITY_ROW, "user_id", userId);
    }

    private static ObjectNode state(Sql sql, long userId) throws SQLException {
        return sql.first(Query.SECURITY_STATE, row -> {
            ObjectNode state = Json.object().put("session_epoch", row.getLong(1)).put("enabled", row.getBoolean(3))
                    .put("last_step", row.getLong(4));
            if (row.getString(2) != null) {
                state.put("secret", row.getString(2));
            }
            return state;
        }, "user_id", userId).orElseGet(() -> Json.object().put("session_epoch", 0L).put("enabled", false).put("last_step", 0L));
    }
}
