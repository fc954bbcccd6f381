package io.hitkeep.auth;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.writer.Database;

import java.security.SecureRandom;
import io.hitkeep.writer.Sql;
import io.hitkeep.writer.SqlFile;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;

/**
 * Passkeys as the auth role stores them: each user's random WebAuthn user handle and their credentials
 * (public keys only; the private key never leaves the authenticator). Auth verifies the ceremonies; this
 * class keeps what must not race between auth processes, the signature count, under the write lock.
 * Binary values travel and rest as base64url text. Thread-safe: writes serialise on their connection.
 */
final class PasskeyRecords {
    public static final StoreOperation<Accounts.UserRef, UserHandle> HANDLE =
            StoreOperation.of("passkeys.handle", Accounts.UserRef.class, UserHandle.class);
    public static final StoreOperation<Owner, PasskeyOwner> OWNER = StoreOperation.of("passkeys.owner", Owner.class, PasskeyOwner.class);
    public static final StoreOperation<CredentialRef, StoredCredential> FIND =
            StoreOperation.of("passkeys.find", CredentialRef.class, StoredCredential.class);
    public static final StoreOperation<NewPasskey, Passkey> ADD = StoreOperation.of("passkeys.add", NewPasskey.class, Passkey.class);
    public static final StoreOperation<Accounts.UserRef, PasskeyList> LIST =
            StoreOperation.of("passkeys.list", Accounts.UserRef.class, PasskeyList.class);
    public static final StoreOperation<PasskeyName, Passkey> RENAME = StoreOperation.of("passkeys.rename", PasskeyName.class, Passkey.class);
    public static final StoreOperation<PasskeyRef, DeletedPasskey> DELETE =
            StoreOperation.of("passkeys.delete", PasskeyRef.class, DeletedPasskey.class);
    public static final StoreOperation<Use, SignatureCount> USE = StoreOperation.of("passkeys.use", Use.class, SignatureCount.class);

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

    /** The user's WebAuthn user handle (base64url). */
    public record UserHandle(long userId, String userHandle) {}

    /** Whose passkeys these are, and their credential ids (base64url). */
    public record PasskeyOwner(long userId, String email, String userHandle, List<String> credentialIds) {
        public PasskeyOwner {
            credentialIds = List.copyOf(credentialIds);
        }

        PasskeyOwner withCredentialIds(List<String> ids) {
            return new PasskeyOwner(userId, email, userHandle, ids);
        }
    }

    /** A credential with what verifying an assertion needs, plus its owner's e-mail and session epoch. */
    public record StoredCredential(long id, String credentialId, long userId, String userHandle, String publicKeyCose,
                                   long signatureCount, String name, String email, long sessionEpoch) {}

    /** A passkey as its owner sees it listed: names and times, nothing an attacker could use. */
    public record Passkey(long id, String name, String createdAt, String lastUsedAt) {
        static Passkey from(ResultSet row) throws SQLException {
            return new Passkey(row.getLong(1), row.getString(2), row.getString(3), row.getString(4));
        }
    }

    public record PasskeyList(List<Passkey> passkeys) {
        public PasskeyList {
            passkeys = List.copyOf(passkeys);
        }
    }

    public record DeletedPasskey(long id, String name) {}

    /** The signature count recorded for a sign-in. */
    public record SignatureCount(long signatureCount) {}

    /** The statements of {@code sql/passkeys.sql}, each named there like its constant, in lower case with dashes. */
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
    UserHandle handle(long userId) {
        return database.write("create passkey user handle", sql -> {
            if (sql.first(Query.EMAIL_OF_USER, row -> true, "user_id", userId).isEmpty()) {
                throw DomainError.notFound("no such user");
            }
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            sql.update(Query.INSERT_USER_HANDLE, "user_id", userId, "user_handle", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            return new UserHandle(userId, sql.first(Query.USER_HANDLE, row -> row.getString(1), "user_id", userId).orElseThrow());
        });
    }

    /**
     * The owner of a user handle or of an e-mail address (whichever is given) with their credential ids;
     * a 404 when there is no such user or the user never started a passkey registration.
     */
    PasskeyOwner owner(String email, String userHandle) {
        return database.read(sql -> {
            Sql.Row<PasskeyOwner> owner = row -> new PasskeyOwner(row.getLong(1), row.getString(2), row.getString(3), List.of());
            PasskeyOwner found = (userHandle.isEmpty()
                    ? sql.first(Query.OWNER_BY_EMAIL, owner, "email", email)
                    : sql.first(Query.OWNER_BY_USER_HANDLE, owner, "user_handle", userHandle))
                    .orElseThrow(() -> DomainError.notFound("no such passkey user"));
            return found.withCredentialIds(sql.list(Query.CREDENTIAL_IDS_OF_USER, row -> row.getString(1), "user_id", found.userId()));
        });
    }

    /** A credential with what verifying an assertion needs, plus its owner's e-mail and session epoch; or 404. */
    StoredCredential find(String credentialId) {
        return database.read(sql -> sql.first(Query.CREDENTIAL, row -> new StoredCredential(row.getLong(1), credentialId,
                        row.getLong(2), row.getString(3), row.getString(4), row.getLong(5), row.getString(6), row.getString(7),
                        row.getLong(8)),
                "credential_id", credentialId).orElseThrow(() -> DomainError.notFound("no such passkey")));
    }

    /** Stores a verified new credential; a 409 if that credential is registered already (to anyone). */
    Passkey add(long userId, String credentialId, String userHandle, String publicKeyCose, long signatureCount, String name) {
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
    PasskeyList list(long userId) {
        return new PasskeyList(database.read(sql -> sql.list(Query.PASSKEYS_OF_USER, Passkey::from, "user_id", userId)));
    }

    /** Renames one of the user's passkeys; someone else's or a missing one is a 404. */
    Passkey rename(long userId, long id, String name) {
        return database.write("rename passkey", sql -> {
            if (sql.update(Query.RENAME_PASSKEY, "name", name, "id", id, "user_id", userId) == 0) {
                throw DomainError.notFound("no such passkey");
            }
            return passkey(sql, userId, id);
        });
    }

    /** Deletes one of the user's passkeys; someone else's or a missing one is a 404. */
    DeletedPasskey delete(long userId, long id) {
        return database.write("delete passkey", sql -> sql.first(Query.DELETE_PASSKEY,
                        row -> new DeletedPasskey(row.getLong(1), row.getString(2)), "id", id, "user_id", userId)
                .orElseThrow(() -> DomainError.notFound("no such passkey")));
    }

    /**
     * Records a verified sign-in: the new signature count and the time. A count that does not grow (while
     * either count is non-zero) is a 409: two authenticators hold the same key, so one is a clone.
     */
    SignatureCount use(String credentialId, long signatureCount) {
        return database.write("record passkey use", sql -> {
            long stored = sql.first(Query.SIGNATURE_COUNT, row -> row.getLong(1), "credential_id", credentialId)
                    .orElseThrow(() -> DomainError.notFound("no such passkey"));
            if ((stored != 0 || signatureCount != 0) && signatureCount <= stored) {
                throw DomainError.conflict("the passkey's signature counter went backwards; it may have been cloned");
            }
            sql.update(Query.RECORD_USE, "signature_count", signatureCount, "credential_id", credentialId);
            return new SignatureCount(signatureCount);
        });
    }

    private static Passkey passkey(Sql sql, long userId, long id) throws SQLException {
        return sql.first(Query.PASSKEY_OF_USER, Passkey::from, "id", id, "user_id", userId)
                .orElseThrow(() -> DomainError.notFound("no such passkey"));
    }
}
