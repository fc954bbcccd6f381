package io.hitkeep.auth;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.core.Scope;
import io.hitkeep.writer.Database;
import io.hitkeep.core.Role;

import io.hitkeep.writer.Sql;
import io.hitkeep.writer.SqlFile;

import java.sql.ResultSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/**
 * Users and API keys as the auth role stores them: password and key hashes only, computed by the
 * caller (the writer never sees a password or a key). Thread-safe: writes serialise on their connection.
 */
public final class Accounts {
    public static final StoreOperation<StoreOperation.None, UserCount> COUNT_USERS =
            StoreOperation.of("users.count", StoreOperation.None.class, UserCount.class);
    public static final StoreOperation<NewUser, CreatedUser> CREATE_FIRST_USER =
            StoreOperation.of("users.create-first", NewUser.class, CreatedUser.class);
    /** An account made by the operator ({@code java -jar hitkeep.jar user create}), with a team of its own. */
    public static final StoreOperation<NewUser, CreatedUser> CREATE_USER =
            StoreOperation.of("users.create", NewUser.class, CreatedUser.class);
    public static final StoreOperation<Email, SignInUser> FIND_USER_BY_EMAIL =
            StoreOperation.of("users.find-by-email", Email.class, SignInUser.class);
    public static final StoreOperation<UserRef, User> GET_USER = StoreOperation.of("users.get", UserRef.class, User.class);
    public static final StoreOperation<NewApiKey, CreatedApiKey> CREATE_API_KEY =
            StoreOperation.of("api-keys.create", NewApiKey.class, CreatedApiKey.class);
    public static final StoreOperation<KeyHash, FoundKey> FIND_API_KEY = StoreOperation.of("api-keys.find", KeyHash.class, FoundKey.class);
    public static final StoreOperation<UserRef, ApiKeyList> LIST_API_KEYS =
            StoreOperation.of("api-keys.list", UserRef.class, ApiKeyList.class);
    public static final StoreOperation<ApiKeyRef, RevokedApiKey> REVOKE_API_KEY =
            StoreOperation.of("api-keys.revoke", ApiKeyRef.class, RevokedApiKey.class);

    /** A user or key addressed by the user alone: no team involved, so no scope. */
    public record UserRef(long userId) {}

    public record NewUser(String email, String passwordHash) {}

    public record Email(String email) {}

    /** A key for {@code teamId} (0: the user's first team) with {@code role} (absent: the user's own). */
    public record NewApiKey(long userId, String name, String keyHash, String prefix, int teamId, Role role) {}

    public record KeyHash(String keyHash) {}

    public record UserCount(long count) {}

    /** A key as it acts: its owner, its team, and the weaker of its own role and its owner's current one there. */
    public record FoundKey(long id, long userId, int teamId, Role role) {}

    public record ApiKeyRef(Scope scope, long keyId) {}

    /** A user as others see them. */
    public record User(long id, String email) {}

    /** A new account and the team it owns. */
    public record CreatedUser(long id, String email, int teamId) {}

    /** A user as signing in checks them: the password hash, the session epoch and which second factors they have. */
    public record SignInUser(long id, String email, String passwordHash, long sessionEpoch, boolean totpEnabled, long passkeys) {}

    /** A key as stored when made; the key itself is never stored (auth adds it to its answer once). */
    public record CreatedApiKey(long id, String name, String prefix, int teamId, Role role) {}

    /** A key as listed: names and prefixes, never the key. */
    public record ApiKey(long id, String name, String prefix, String createdAt, int teamId, String teamName, Role role,
                         long userId, String email) {
        static ApiKey from(ResultSet row) throws SQLException {
            return new ApiKey(row.getLong(1), row.getString(2), row.getString(3), row.getString(4), row.getInt(5),
                    row.getString(6), Role.parse(row.getString(7)).orElse(Role.MEMBER), row.getLong(8), row.getString(9));
        }
    }

    public record ApiKeyList(List<ApiKey> keys) {
        public ApiKeyList {
            keys = List.copyOf(keys);
        }
    }

    public record RevokedApiKey(long id, String name, int teamId, long userId) {}

    /** The statements of {@code sql/accounts.sql}, each named there like its constant, in lower case with dashes. */
    private enum Query implements SqlFile.Named {
        USER_COUNT, USER_WITH_EMAIL, INSERT_USER, SIGN_IN_BY_EMAIL, USER, FIRST_TEAM_OF_USER, INSERT_API_KEY,
        API_KEYS_OF_USER, API_KEYS_OF_TEAM, API_KEY, DELETE_API_KEY, API_KEY_BY_HASH;

        @Override
        public String file() {
            return "sql/accounts.sql";
        }
    }

    /** An API key's row as {@link #revokeApiKey} checks it. */
    private record StoredKey(long owner, int team, String name) {
    }

    private final Database database;

    Accounts(Database database) {
        this.database = database;
    }

    long countUsers() {
        return database.read(sql -> sql.number(Query.USER_COUNT));
    }

    /**
     * Creates the first user and a team they own; once any user exists this is a 409, whoever asks. Once
     * an installation had a user, a marker beside {@code hitkeep.db} keeps it so: a lost or emptied database
     * is no invitation for the first visitor to claim the server; it is restored from a backup instead.
     */
    CreatedUser createFirstUser(String email, String passwordHash) {
        if (Files.exists(claimedMarker())) {
            throw DomainError.conflict("this installation was set up before, but its database has no users: restore "
                    + "hitkeep.db from a backup; the first user cannot be claimed again over the API");
        }
        CreatedUser user = database.write("create user", sql -> {
            if (sql.number(Query.USER_COUNT) > 0) {
                throw DomainError.conflict("the first user exists already; sign in instead");
            }
            return insertUserWithTeam(sql, email, passwordHash);
        });
        markClaimed();
        return user;
    }

    /** A user with a team they own, whether or not others exist; a taken e-mail address is a 409. */
    CreatedUser createUser(String email, String passwordHash) {
        CreatedUser user = database.write("create user", sql -> insertUserWithTeam(sql, email, passwordHash));
        markClaimed();
        return user;
    }

    private static CreatedUser insertUserWithTeam(Sql sql, String email, String passwordHash) throws SQLException {
        long id = insertUser(sql, email, passwordHash);
        int team = Teams.insertTeam(sql, email.substring(0, Math.max(1, email.indexOf('@'))) + "'s team", id);
        return new CreatedUser(id, email, team);
    }

    /** Writes the marker when the installation has users: at the first user, and for installations from before it. */
    void markClaimedIfUsers() {
        if (countUsers() > 0) {
            markClaimed();
        }
    }

    private void markClaimed() {
        try {
            if (!Files.exists(claimedMarker())) {
                Files.writeString(claimedMarker(), "the first user of this installation was created; see README (Accounts)\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + claimedMarker(), e);
        }
    }

    private Path claimedMarker() {
        return database.file().resolveSibling("installation-claimed");
    }

    /** A new user inside the caller's transaction; an e-mail address in use already is a 409. */
    static long insertUser(Sql sql, String email, String passwordHash) throws SQLException {
        if (sql.first(Query.USER_WITH_EMAIL, row -> true, "email", email).isPresent()) {
            throw DomainError.conflict("an account with this e-mail exists already; sign in and open the link again");
        }
        return sql.number(Query.INSERT_USER, "email", email, "password_hash", passwordHash);
    }

    /** The user with that e-mail, including the password hash, session epoch, whether TOTP is on and how many passkeys, or 404. */
    SignInUser findUserByEmail(String email) {
        return database.read(sql -> sql.first(Query.SIGN_IN_BY_EMAIL, row -> new SignInUser(row.getLong(1), row.getString(2),
                        row.getString(3), row.getLong(4), row.getBoolean(5), row.getLong(6)),
                "email", email).orElseThrow(() -> DomainError.notFound("no such user")));
    }

    User user(long id) {
        return database.read(sql -> sql.first(Query.USER, row -> new User(row.getLong(1), row.getString(2)),
                "user_id", id).orElseThrow(() -> DomainError.notFound("no such user")));
    }

    /**
     * A key for one of the user's teams ({@code teamId} 0: their first) with at most their own role there
     * ({@code role} null: their own).
     */
    CreatedApiKey createApiKey(long userId, String name, String keyHash, String prefix, int teamId, Role role) {
        return database.write("create API key", sql -> {
            int team = teamId != 0 ? teamId : firstTeam(sql, userId);
            Role own = Teams.memberRole(sql, team, userId).orElseThrow(() -> DomainError.notFound("no such team"));
            Role granted = role == null ? own : role;
            if (!own.atLeast(granted)) {
                throw DomainError.forbidden("a key cannot have a role above your own (" + own.label() + ")");
            }
            long id = sql.number(Query.INSERT_API_KEY, "user_id", userId, "name", name, "key_hash", keyHash, "prefix", prefix,
                    "team_id", team, "role", granted.label());
            return new CreatedApiKey(id, name, prefix, team, granted);
        });
    }

    /**
     * Keys, newest first, with names and prefixes, never the keys: the user's own, or with {@code teamId}
     * every key of that team (owners only, checked by the caller).
     */
    ApiKeyList listApiKeys(long userId, int teamId) {
        return new ApiKeyList(database.read(sql -> teamId == 0
                ? sql.list(Query.API_KEYS_OF_USER, ApiKey::from, "user_id", userId)
                : sql.list(Query.API_KEYS_OF_TEAM, ApiKey::from, "team_id", teamId)));
    }

    /**
     * Deletes a key: the caller's own, or any key of a team the caller owns. Another's key or a missing one
     * is a 404.
     */
    RevokedApiKey revokeApiKey(Scope scope, long keyId) {
        return database.write("revoke API key", sql -> {
            StoredKey key = sql.first(Query.API_KEY, row -> new StoredKey(row.getLong(1), row.getInt(2), row.getString(3)), "id", keyId)
                    .orElseThrow(() -> DomainError.notFound("no such API key"));
            boolean teamOwner = !scope.viaKey()
                    && Teams.memberRole(sql, key.team(), scope.userId()).filter(role -> role == Role.OWNER).isPresent();
            if (key.owner() != scope.userId() && !teamOwner) {
                throw DomainError.notFound("no such API key");
            }
            sql.update(Query.DELETE_API_KEY, "id", keyId);
            return new RevokedApiKey(keyId, key.name(), key.team(), key.owner());
        });
    }

    /**
     * The key with that hash, its owner, team and the role it acts with: the weaker of its own and its
     * owner's current role in the team. A key whose owner left the team is a 404, as is an unknown one.
     */
    FoundKey findApiKey(String keyHash) {
        return database.read(sql -> sql.first(Query.API_KEY_BY_HASH, row -> {
            Role keyRole = Role.parse(row.getString(4)).orElse(Role.MEMBER);
            Role member = Role.parse(row.getString(5)).orElse(Role.MEMBER);
            return new FoundKey(row.getLong(1), row.getLong(2), row.getInt(3), keyRole.min(member));
        }, "key_hash", keyHash).orElseThrow(() -> DomainError.notFound("no such key")));
    }

    private static int firstTeam(Sql sql, long userId) throws SQLException {
        return sql.first(Query.FIRST_TEAM_OF_USER, row -> {
            int team = row.getInt(1);
            return row.wasNull() ? null : team;
        }, "user_id", userId).orElseThrow(() -> DomainError.conflict("you are in no team; create one or accept an invitation first"));
    }
}
