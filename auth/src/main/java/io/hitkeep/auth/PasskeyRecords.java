package io.hitkeep.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.StoreOperation;
import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.Scope;
import io.hitkeep.writer.Database;
import io.hitkeep.core.Json;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;

/**
 * Passkeys as the auth role stores them: each user's random WebAuthn user handle and their credentials
 * (public keys only; the private key never leaves the authenticator). Auth verifies the ceremonies; this
 * class keeps what must not race between auth processes, the signature count, under the write lock.
 * Binary values travel and rest as base64url text. Thread-safe: writes serialise on their connection.
 */
final class PasskeyRecords {
    public static final StoreOperation<Accounts.UserRef, JsonNode> HANDLE =
            StoreOperation.of("passkeys.handle", Accounts.UserRef.class, JsonNode.class);
    public static final StoreOperation<Owner, JsonNode> OWNER = StoreOperation.of("passkeys.owner", Owner.class, JsonNode.class);
    public static final StoreOperation<CredentialRef, JsonNode> FIND = StoreOperation.of("passkeys.find", CredentialRef.class, JsonNode.class);
    public static final StoreOperation<NewPasskey, JsonNode> ADD = StoreOperation.of("passkeys.add", NewPasskey.class, JsonNode.class);
    public static final StoreOperation<Accounts.UserRef, JsonNode> LIST =
            StoreOperation.of("passkeys.list", Accounts.UserRef.class, JsonNode.class);
    public static final StoreOperation<PasskeyName, JsonNode> RENAME = StoreOperation.of("passkeys.rename", PasskeyName.class, JsonNode.class);
    public static final StoreOperation<PasskeyRef, JsonNode> DELETE = StoreOperation.of("passkeys.delete", PasskeyRef.class, JsonNode.class);
    public static final StoreOperation<Use, JsonNode> USE = StoreOperation.of("passkeys.use", Use.class, JsonNode.class);

    /** The passkeys of a user found by e-mail or by WebAuthn user handle (one of the two, the other empty). */
    public record Owner(String email, String userHandle) {
    }

    public record CredentialRef(String credentialId) {
    }

    public record NewPasskey(long userId, String credentialId, String userHandle, String publicKeyCose, long signatureCount,
                             String name) {
    }

    public record PasskeyName(long userId, long id, String name) {
    }

    public record PasskeyRef(long userId, long id) {
    }

    /** A sign-in with the credential reported this signature count. */
    public record Use(String credentialId, long signatureCount) {
    }

    private static final String COLUMNS = "id, name, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ'), "
            + "strftime(last_used_at, '%Y-%m-%dT%H:%M:%SZ')";

    private final Database database;
    private final SecureRandom random = new SecureRandom();

    PasskeyRecords(Database database) {
        this.database = database;
    }

    /** The user's handle, created on first use: 32 random bytes, as the WebAuthn spec recommends. */
    ObjectNode handle(long userId) {
        return database.write("create passkey user handle", sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement user = connection.prepareStatement("SELECT email FROM users WHERE id = ?")) {
                user.setLong(1, userId);
                try (ResultSet row = user.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("no such user");
                    }
                }
            }
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO passkey_users (user_id, user_handle) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                insert.setLong(1, userId);
                insert.setString(2, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
                insert.execute();
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT user_handle FROM passkey_users WHERE user_id = ?")) {
                select.setLong(1, userId);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return Json.object().put("user_id", userId).put("user_handle", row.getString(1));
                }
            }
        });
    }

    /**
     * The owner of a user handle or of an e-mail address (whichever is given) with their credential ids;
     * a 404 when there is no such user or the user never started a passkey registration.
     */
    ObjectNode owner(String email, String userHandle) {
        return database.read(sql -> {
            Connection connection = sql.connection();
            ObjectNode owner;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT users.id, users.email, passkey_users.user_handle FROM users "
                            + "JOIN passkey_users ON passkey_users.user_id = users.id "
                            + (userHandle.isEmpty() ? "WHERE lower(users.email) = lower(?)" : "WHERE passkey_users.user_handle = ?"))) {
                select.setString(1, userHandle.isEmpty() ? email : userHandle);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("no such passkey user");
                    }
                    owner = Json.object().put("user_id", row.getLong(1)).put("email", row.getString(2))
                            .put("user_handle", row.getString(3));
                }
            }
            ArrayNode credentials = owner.putArray("credential_ids");
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT credential_id FROM passkeys WHERE user_id = ? ORDER BY id")) {
                select.setLong(1, owner.get("user_id").asLong());
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        credentials.add(row.getString(1));
                    }
                }
            }
            return owner;
        });
    }

    /** A credential with what verifying an assertion needs, plus its owner's e-mail and session epoch; or 404. */
    ObjectNode find(String credentialId) {
        return database.read(sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT p.id, p.user_id, p.user_handle, p.public_key_cose, p.signature_count, p.name, coalesce(users.email, ''), "
                            + "coalesce(s.session_epoch, 0) FROM passkeys p LEFT JOIN users ON users.id = p.user_id "
                            + "LEFT JOIN user_security s ON s.user_id = p.user_id WHERE p.credential_id = ?")) {
                select.setString(1, credentialId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("no such passkey");
                    }
                    return Json.object().put("id", row.getLong(1)).put("credential_id", credentialId)
                            .put("user_id", row.getLong(2)).put("user_handle", row.getString(3))
                            .put("public_key_cose", row.getString(4)).put("signature_count", row.getLong(5))
                            .put("name", row.getString(6)).put("email", row.getString(7)).put("session_epoch", row.getLong(8));
                }
            }
        });
    }

    /** Stores a verified new credential; a 409 if that credential is registered already (to anyone). */
    ObjectNode add(long userId, String credentialId, String userHandle, String publicKeyCose, long signatureCount, String name) {
        return database.write("add passkey", sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement exists = connection.prepareStatement("SELECT count(*) FROM passkeys WHERE credential_id = ?")) {
                exists.setString(1, credentialId);
                try (ResultSet row = exists.executeQuery()) {
                    row.next();
                    if (row.getLong(1) > 0) {
                        throw DomainError.conflict("this passkey is registered already");
                    }
                }
            }
            long id;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO passkeys "
                    + "(credential_id, user_id, user_handle, public_key_cose, signature_count, name) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
                insert.setString(1, credentialId);
                insert.setLong(2, userId);
                insert.setString(3, userHandle);
                insert.setString(4, publicKeyCose);
                insert.setLong(5, signatureCount);
                insert.setString(6, name);
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    id = row.getLong(1);
                }
            }
            return passkey(connection, userId, id);
        });
    }

    /** The user's passkeys, oldest first: names and times, nothing an attacker could use. */
    ObjectNode list(long userId) {
        return database.read(sql -> {
            Connection connection = sql.connection();
            ArrayNode passkeys = Json.MAPPER.createArrayNode();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM passkeys WHERE user_id = ? ORDER BY id")) {
                select.setLong(1, userId);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        passkeys.add(json(row));
                    }
                }
            }
            ObjectNode answer = Json.object();
            answer.set("passkeys", passkeys);
            return answer;
        });
    }

    /** Renames one of the user's passkeys; someone else's or a missing one is a 404. */
    ObjectNode rename(long userId, long id, String name) {
        return database.write("rename passkey", sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE passkeys SET name = ? WHERE id = ? AND user_id = ?")) {
                update.setString(1, name);
                update.setLong(2, id);
                update.setLong(3, userId);
                if (update.executeUpdate() == 0) {
                    throw DomainError.notFound("no such passkey");
                }
            }
            return passkey(connection, userId, id);
        });
    }

    /** Deletes one of the user's passkeys; someone else's or a missing one is a 404. */
    ObjectNode delete(long userId, long id) {
        return database.write("delete passkey", sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM passkeys WHERE id = ? AND user_id = ? RETURNING id, name")) {
                delete.setLong(1, id);
                delete.setLong(2, userId);
                try (ResultSet row = delete.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("no such passkey");
                    }
                    return Json.object().put("id", row.getLong(1)).put("name", row.getString(2));
                }
            }
        });
    }

    /**
     * Records a verified sign-in: the new signature count and the time. A count that does not grow (while
     * either count is non-zero) is a 409: two authenticators hold the same key, so one is a clone.
     */
    ObjectNode use(String credentialId, long signatureCount) {
        return database.write("record passkey use", sql -> {
            Connection connection = sql.connection();
            long stored;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT signature_count FROM passkeys WHERE credential_id = ?")) {
                select.setString(1, credentialId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("no such passkey");
                    }
                    stored = row.getLong(1);
                }
            }
            if ((stored != 0 || signatureCount != 0) && signatureCount <= stored) {
                throw DomainError.conflict("the passkey's signature counter went backwards; it may have been cloned");
            }
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE passkeys SET signature_count = ?, last_used_at = now()::TIMESTAMP WHERE credential_id = ?")) {
                update.setLong(1, signatureCount);
                update.setString(2, credentialId);
                update.execute();
            }
            return Json.object().put("signature_count", signatureCount);
        });
    }

    private static ObjectNode passkey(Connection connection, long userId, long id) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM passkeys WHERE id = ? AND user_id = ?")) {
            select.setLong(1, id);
            select.setLong(2, userId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw DomainError.notFound("no such passkey");
                }
                return json(row);
            }
        }
    }

    private static ObjectNode json(ResultSet row) throws SQLException {
        ObjectNode passkey = Json.object().put("id", row.getLong(1)).put("name", row.getString(2))
                .put("created_at", row.getString(3));
        String lastUsed = row.getString(4);
        if (lastUsed == null) {
            passkey.putNull("last_used_at");
        } else {
            passkey.put("last_used_at", lastUsed);
        }
        return passkey;
    }

    /** Runs a write in one transaction on the account connection; a DomainError rolls back and passes on. */
    private <T> T write(String what, Database.SqlFunction<io.hitkeep.writer.Sql, T> work) {
        return database.write(what, work);
    }
}
