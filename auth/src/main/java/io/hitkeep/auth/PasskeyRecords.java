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
import io.hitkeep.writer.Sql;
import io.hitkeep.writer.SqlFile;

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
    public record Owner(String email, String userHandle) {}

    public record CredentialRef(String credentialId) {}

    public record NewPasskey(long userId, String credentialId, String userHandle, String publicKeyCose, long signatureCount,
                             String name) {
    }

    public record PasskeyName(long userId, long id, String name) {}

    public record PasskeyRef(long userId, long id) {}

    /** A sign-in with the credential reported this signature count. */
    public record Use(String credentialId, long signatureCount) {}

    /** The statements of {@code sql/passkeys.sql}, each named there like its constant ({@code Query.EMAIL_OF_USER}: {@code email-of-user}). */
    private enum Query implements SqlFile.Named {
        EMAIL_OF_USER, INSERT_USER_HANDLE, USER_HANDLE, OWNER_BY_EMAIL, OWNER_BY_USER_HANDLE,
        CREDENTIAL_IDS_OF_USER, CREDENTIAL, COUNT_CREDENTIAL, INSERT_PASSKEY, PASSKEYS_OF_USER, PASSKEY_OF_USER,
        RENAME_PASSKEY, DELETE_PASSKEY, SIGNATURE_COUNT, RECORD_USE;

        @Override
        public String file() {
            return "sql/passkeys.sql";
        }
    }

    private final Database database;
    private final SecureRandom random = new SecureRandom();

    PasskeyRecords(Database database) {
        this.database = database;
    }

    /** The user's handle, created on first use: 32 random bytes, as the WebAuthn spec recommends. */
    ObjectNode handle(long userId) {
        return database.write("create passkey user handle", sql -> {
            if (sql.first(Query.EMAIL_OF_USER, row -> true, "user_id", userId).isEmpty()) {
                throw DomainError.notFound("no such user");
            }
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            sql.update(Query.INSERT_USER_HANDLE, "user_id", userId, "user_handle", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            return Json.object().put("user_id", userId)
                    .put("user_handle", sql.first(Query.USER_HANDLE, row -> row.getString(1), "user_id", userId).orElseThrow());
        });
    }

    /**
     * The owner of a user handle or of an e-mail address (whichever is given) with their credential ids;
     * a 404 when there is no such user or the user never started a passkey registration.
     */
    ObjectNode owner(String email, String userHandle) {
        return database.read(sql -> {
            Sql.Row<ObjectNode> owner = row -> Json.object().put("user_id", row.getLong(1)).put("email", row.getString(2))
                    .put("user_handle", row.getString(3));
            ObjectNode found = (userHandle.isEmpty()
                    ? sql.first(Query.OWNER_BY_EMAIL, owner, "email", email)
                    : sql.first(Query.OWNER_BY_USER_HANDLE, owner, "user_handle", userHandle))
                    .orElseThrow(() -> DomainError.notFound("no such passkey user"));
            ArrayNode credentials = found.putArray("credential_ids");
            sql.list(Query.CREDENTIAL_IDS_OF_USER, row -> row.getString(1), "user_id", found.get("user_id").asLong())
                    .forEach(credentials::add);
            return found;
        });
    }

    /** A credential with what verifying an assertion needs, plus its owner's e-mail and session epoch; or 404. */
    ObjectNode find(String credentialId) {
        return database.read(sql -> sql.first(Query.CREDENTIAL, row -> Json.object().put("id", row.getLong(1))
                        .put("credential_id", credentialId).put("user_id", row.getLong(2)).put("user_handle", row.getString(3))
                        .put("public_key_cose", row.getString(4)).put("signature_count", row.getLong(5))
                        .put("name", row.getString(6)).put("email", row.getString(7)).put("session_epoch", row.getLong(8)),
                "credential_id", credentialId).orElseThrow(() -> DomainError.notFound("no such passkey")));
    }

    /** Stores a verified new credential; a 409 if that credential is registered already (to anyone). */
    ObjectNode add(long userId, String credentialId, String userHandle, String publicKeyCose, long signatureCount, String name) {
        return database.write("add passkey", sql -> {
            if (sql.number(Query.COUNT_CREDENTIAL, "credential_id", credentialId) > 0) {
                throw DomainError.conflict("this passkey is registered already");
            }
            long id = sql.number(Query.INSERT_PASSKEY, "credential_id", credentialId, "user_id", userId, "user_handle", userHandle,
                    "public_key_cose", publicKeyCose, "signature_count", signatureCount, "name", name);
            return passkey(sql, userId, id);
        });
    }

    /** The user's passkeys, oldest first: names and times, nothing an attacker could use. */
    ObjectNode list(long userId) {
        return database.read(sql -> {
            ObjectNode answer = Json.object();
            answer.putArray("passkeys").addAll(sql.list(Query.PASSKEYS_OF_USER, PasskeyRecords::json, "user_id", userId));
            return answer;
        });
    }

    /** Renames one of the user's passkeys; someone else's or a missing one is a 404. */
    ObjectNode rename(long userId, long id, String name) {
        return database.write("rename passkey", sql -> {
            if (sql.update(Query.RENAME_PASSKEY, "name", name, "id", id, "user_id", userId) == 0) {
                throw DomainError.notFound("no such passkey");
            }
            return passkey(sql, userId, id);
        });
    }

    /** Deletes one of the user's passkeys; someone else's or a missing one is a 404. */
    ObjectNode delete(long userId, long id) {
        return database.write("delete passkey", sql -> sql.first(Query.DELETE_PASSKEY,
                        row -> Json.object().put("id", row.getLong(1)).put("name", row.getString(2)), "id", id, "user_id", userId)
                .orElseThrow(() -> DomainError.notFound("no such passkey")));
    }

    /**
     * Records a verified sign-in: the new signature count and the time. A count that does not grow (while
     * either count is non-zero) is a 409: two authenticators hold the same key, so one is a clone.
     */
    ObjectNode use(String credentialId, long signatureCount) {
        return database.write("record passkey use", sql -> {
            long stored = sql.first(Query.SIGNATURE_COUNT, row -> row.getLong(1), "credential_id", credentialId)
                    .orElseThrow(() -> DomainError.notFound("no such passkey"));
            if ((stored != 0 || signatureCount != 0) && signatureCount <= stored) {
                throw DomainError.conflict("the passkey's signature counter went backwards; it may have been cloned");
            }
            sql.update(Query.RECORD_USE, "signature_count", signatureCount, "credential_id", credentialId);
            return Json.object().put("signature_count", signatureCount);
        });
    }

    private static ObjectNode passkey(Sql sql, long userId, long id) throws SQLException {
        return sql.first(Query.PASSKEY_OF_USER, PasskeyRecords::json, "id", id, "user_id", userId)
                .orElseThrow(() -> DomainError.notFound("no such passkey"));
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
}
