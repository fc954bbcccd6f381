package io.hitkeep.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.StoreOperation;
import java.util.List;
import io.hitkeep.core.Scope;
import io.hitkeep.writer.Database;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Account security as the auth role stores it: revoked sessions and session epochs, TOTP state and
 * recovery codes (hashes only), the audit log. Checks that must not race between auth processes (a TOTP
 * step used once, a recovery code used once) happen here, under the write lock. Thread-safe.
 */
final class AccountSecurity {
    public static final StoreOperation<Accounts.UserRef, JsonNode> CREDENTIALS =
            StoreOperation.of("users.credentials", Accounts.UserRef.class, JsonNode.class);
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

    public record NewPassword(long userId, String passwordHash) {
    }

    public record ResetRequest(String email, String tokenHash, long expiresAt) {
    }

    public record ResetConfirmation(String tokenHash, String passwordHash) {
    }

    public record RevokedSession(String jti, long expiresAt) {
    }

    /** A TOTP secret, encrypted by auth before it is stored. */
    public record TotpSecret(long userId, String secret) {
    }

    public record TotpEnable(long userId, long step, List<String> recoveryHashes) {
    }

    public record TotpStep(long userId, long step) {
    }

    public record RecoveryCode(long userId, String codeHash) {
    }

    /** {@code teamId} 0: an account event of no team. */
    public record AuditEntry(long userId, String event, String detail, String ip, int teamId) {
    }

    public record AuditQuery(long userId, int limit) {
    }

    private final Database database;

    AccountSecurity(Database database) {
        this.database = database;
    }

    /** Unexpired revoked token ids with their expiry, and every user's session epoch. */
    ObjectNode sessionState() {
        return database.read(sql -> {
            Connection connection = sql.connection();
            ObjectNode revoked = Json.object();
            try (var statement = connection.createStatement(); ResultSet row = statement.executeQuery(
                    "SELECT jti, epoch(expires_at)::BIGINT FROM revoked_tokens WHERE expires_at > now()::TIMESTAMP")) {
                while (row.next()) {
                    revoked.put(row.getString(1), row.getLong(2));
                }
            }
            ObjectNode epochs = Json.object();
            try (var statement = connection.createStatement(); ResultSet row = statement.executeQuery(
                    "SELECT user_id, session_epoch FROM user_security WHERE session_epoch > 0")) {
                while (row.next()) {
                    epochs.put(Long.toString(row.getLong(1)), row.getLong(2));
                }
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
            Connection connection = sql.connection();
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM revoked_tokens WHERE expires_at <= now()::TIMESTAMP")) {
                delete.execute();
            }
            boolean firstTime;
            try (PreparedStatement known = connection.prepareStatement("SELECT count(*) FROM revoked_tokens WHERE jti = ?")) {
                known.setString(1, jti);
                try (ResultSet row = known.executeQuery()) {
                    row.next();
                    firstTime = row.getLong(1) == 0;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, to_timestamp(?)::TIMESTAMP) ON CONFLICT DO NOTHING")) {
                insert.setString(1, jti);
                insert.setLong(2, expiresAtSeconds);
                insert.execute();
            }
            return Json.object().put("revoked", jti).put("first_time", firstTime);
        });
    }

    /** Raises the user's session epoch: every token issued before is refused from now on. */
    ObjectNode signOutEverywhere(long userId) {
        return database.write("sign out everywhere", sql -> {
            Connection connection = sql.connection();
            ensureRow(connection, userId);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE user_security SET session_epoch = session_epoch + 1 WHERE user_id = ?")) {
                update.setLong(1, userId);
                update.execute();
            }
            return Json.object().put("session_epoch", state(connection, userId).get("session_epoch").asLong());
        });
    }

    /** The user's password hash, for checking the current password before a change. */
    ObjectNode credentials(long userId) {
        return database.read(sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement select = connection.prepareStatement("SELECT password_hash FROM users WHERE id = ?")) {
                select.setLong(1, userId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("no such user");
                    }
                    return Json.object().put("password_hash", row.getString(1));
                }
            }
        });
    }

    /** A new password; every existing session of the user ends (the epoch moves on), which the answer carries. */
    ObjectNode setPassword(long userId, String passwordHash) {
        return database.write("set password", sql -> {
            Connection connection = sql.connection();
            long epoch = replacePassword(connection, userId, passwordHash);
            return Json.object().put("session_epoch", epoch);
        });
    }

    /**
     * Records a reset link for the user with that e-mail address; an unknown address is answered the same
     * way by the caller, so the answer says whether to send, not whether the account exists.
     */
    ObjectNode beginReset(String email, String tokenHash, long expiresAtSeconds) {
        return database.write("begin password reset", sql -> {
            Connection connection = sql.connection();
            long userId;
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM users WHERE lower(email) = lower(?)")) {
                select.setString(1, email);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Json.object().put("send", false);
                    }
                    userId = row.getLong(1);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO password_resets (token_hash, user_id, expires_at) VALUES (?, ?, to_timestamp(?)::TIMESTAMP)")) {
                insert.setString(1, tokenHash);
                insert.setLong(2, userId);
                insert.setLong(3, expiresAtSeconds);
                insert.execute();
            }
            return Json.object().put("send", true).put("user_id", userId);
        });
    }

    /** Uses a reset link once: sets the password, ends every session, and voids the user's other open links. */
    ObjectNode finishReset(String tokenHash, String passwordHash) {
        return database.write("reset password", sql -> {
            Connection connection = sql.connection();
            long userId;
            try (PreparedStatement select = connection.prepareStatement("SELECT user_id FROM password_resets "
                    + "WHERE token_hash = ? AND used_at IS NULL AND expires_at > now()::TIMESTAMP")) {
                select.setString(1, tokenHash);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("this reset link is unknown, used or expired; ask for a new one");
                    }
                    userId = row.getLong(1);
                }
            }
            try (PreparedStatement used = connection.prepareStatement(
                    "UPDATE password_resets SET used_at = current_timestamp WHERE user_id = ? AND used_at IS NULL")) {
                used.setLong(1, userId);
                used.execute();
            }
            long epoch = replacePassword(connection, userId, passwordHash);
            return Json.object().put("user_id", userId).put("session_epoch", epoch);
        });
    }

    private long replacePassword(Connection connection, long userId, String passwordHash) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE users SET password_hash = ? WHERE id = ?")) {
            update.setString(1, passwordHash);
            update.setLong(2, userId);
            update.execute();
        }
        ensureRow(connection, userId);
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE user_security SET session_epoch = session_epoch + 1 WHERE user_id = ?")) {
            update.setLong(1, userId);
            update.execute();
        }
        return state(connection, userId).get("session_epoch").asLong();
    }

    /** The user's TOTP state: {@code enabled}, {@code secret} (pending or active, if any), {@code last_step}. */
    ObjectNode totp(long userId) {
        return database.read(sql -> state(sql.connection(), userId));
    }

    /** Stores a new pending secret; a 409 while TOTP is active (disable it first). */
    ObjectNode beginTotp(long userId, String secret) {
        return database.write("start TOTP enrolment", sql -> {
            Connection connection = sql.connection();
            ensureRow(connection, userId);
            if (state(connection, userId).get("enabled").asBoolean()) {
                throw DomainError.conflict("two-factor authentication is already on; turn it off first");
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE user_security SET totp_secret = ? WHERE user_id = ?")) {
                update.setString(1, secret);
                update.setLong(2, userId);
                update.execute();
            }
            return Json.object().put("pending", true);
        });
    }

    /** Activates the pending secret with the step of a verified code, replacing the recovery codes. */
    ObjectNode enableTotp(long userId, long step, List<String> recoveryHashes) {
        return database.write("enable TOTP", sql -> {
            Connection connection = sql.connection();
            ObjectNode state = state(connection, userId);
            if (state.get("enabled").asBoolean()) {
                throw DomainError.conflict("two-factor authentication is already on");
            }
            if (!state.has("secret")) {
                throw DomainError.conflict("start the enrolment first (POST /api/user/totp)");
            }
            useStep(connection, userId, step, state);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE user_security SET totp_enabled = true WHERE user_id = ?")) {
                update.setLong(1, userId);
                update.execute();
            }
            deleteRecoveryCodes(connection, userId);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)")) {
                for (String hash : recoveryHashes) {
                    insert.setLong(1, userId);
                    insert.setString(2, hash);
                    insert.execute();
                }
            }
            return Json.object().put("enabled", true);
        });
    }

    /** Turns TOTP off with the step of a fresh verified code; its recovery codes go too. */
    ObjectNode disableTotp(long userId, long step) {
        return database.write("disable TOTP", sql -> {
            Connection connection = sql.connection();
            ObjectNode state = state(connection, userId);
            if (!state.get("enabled").asBoolean()) {
                throw DomainError.conflict("two-factor authentication is not on");
            }
            useStep(connection, userId, step, state);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE user_security SET totp_enabled = false, totp_secret = NULL WHERE user_id = ?")) {
                update.setLong(1, userId);
                update.execute();
            }
            deleteRecoveryCodes(connection, userId);
            return Json.object().put("enabled", false);
        });
    }

    /** Records a verified code's step; a 409 when that step (or a later one) was used already: a replay. */
    ObjectNode useTotpStep(long userId, long step) {
        return database.write("use TOTP code", sql -> {
            Connection connection = sql.connection();
            useStep(connection, userId, step, state(connection, userId));
            return Json.object().put("step", step);
        });
    }

    /** Marks an unused recovery code with that hash as used; a 404 when there is none. */
    ObjectNode useRecoveryCode(long userId, String codeHash) {
        return database.write("use recovery code", sql -> {
            Connection connection = sql.connection();
            long rowId;
            try (PreparedStatement find = connection.prepareStatement(
                    "SELECT rowid FROM recovery_codes WHERE user_id = ? AND code_hash = ? AND used_at IS NULL LIMIT 1")) {
                find.setLong(1, userId);
                find.setString(2, codeHash);
                try (ResultSet row = find.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("no such unused recovery code");
                    }
                    rowId = row.getLong(1);
                }
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE recovery_codes SET used_at = now()::TIMESTAMP WHERE rowid = ?")) {
                update.setLong(1, rowId);
                update.execute();
            }
            long left;
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL")) {
                count.setLong(1, userId);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    left = row.getLong(1);
                }
            }
            return Json.object().put("recovery_codes_left", left);
        });
    }

    ObjectNode addAudit(long userId, String event, String detail, String ip, int teamId) {
        return database.write("add audit event", sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO audit_events (user_id, event, detail, ip, team_id) VALUES (?, ?, ?, ?, ?)")) {
                insert.setLong(1, userId);
                insert.setString(2, event);
                insert.setString(3, detail);
                insert.setString(4, ip);
                if (teamId == 0) {
                    insert.setNull(5, java.sql.Types.INTEGER);
                } else {
                    insert.setInt(5, teamId);
                }
                insert.execute();
            }
            return Json.object().put("added", true);
        });
    }

    /** The user's audit events, newest first. */
    ObjectNode audit(long userId, int limit) {
        return database.read(sql -> {
            Connection connection = sql.connection();
            ArrayNode events = Json.MAPPER.createArrayNode();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT epoch_ms(time), event, detail, ip FROM audit_events WHERE user_id = ? "
                            + "ORDER BY time DESC, rowid DESC LIMIT ?")) {
                select.setLong(1, userId);
                select.setInt(2, limit);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        events.addObject().put("time", Instant.ofEpochMilli(row.getLong(1)).toString())
                                .put("event", row.getString(2)).put("detail", row.getString(3)).put("ip", row.getString(4));
                    }
                }
            }
            ObjectNode answer = Json.object();
            answer.set("events", events);
            return answer;
        });
    }

    private static void useStep(Connection connection, long userId, long step, ObjectNode state) throws SQLException {
        if (step <= state.get("last_step").asLong()) {
            throw DomainError.conflict("this code was used already; wait for the next one");
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE user_security SET totp_last_step = ? WHERE user_id = ?")) {
            update.setLong(1, step);
            update.setLong(2, userId);
            update.execute();
        }
    }

    private static void deleteRecoveryCodes(Connection connection, long userId) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM recovery_codes WHERE user_id = ?")) {
            delete.setLong(1, userId);
            delete.execute();
        }
    }

    private static void ensureRow(Connection connection, long userId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO user_security (user_id) VALUES (?) ON CONFLICT DO NOTHING")) {
            insert.setLong(1, userId);
            insert.execute();
        }
    }

    private static ObjectNode state(Connection connection, long userId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT session_epoch, totp_secret, totp_enabled, totp_last_step FROM user_security WHERE user_id = ?")) {
            select.setLong(1, userId);
            try (ResultSet row = select.executeQuery()) {
                ObjectNode state = Json.object().put("session_epoch", 0L).put("enabled", false).put("last_step", 0L);
                if (row.next()) {
                    state.put("session_epoch", row.getLong(1)).put("enabled", row.getBoolean(3)).put("last_step", row.getLong(4));
                    if (row.getString(2) != null) {
                        state.put("secret", row.getString(2));
                    }
                }
                return state;
            }
        }
    }

    /** Runs a write in one transaction on the account connection; a DomainError rolls back and passes on. */
    private <T> T write(String what, Database.SqlFunction<io.hitkeep.writer.Sql, T> work) {
        return database.write(what, work);
    }
}
