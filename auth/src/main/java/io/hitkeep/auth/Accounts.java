package io.hitkeep.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.StoreOperation;
import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.Scope;
import io.hitkeep.writer.Database;
import io.hitkeep.core.Json;
import io.hitkeep.core.Role;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Users and API keys as the auth role stores them: password and key hashes only, computed by the
 * caller (the writer never sees a password or a key). Thread-safe: writes serialise on their connection.
 */
final class Accounts {
    public static final StoreOperation<StoreOperation.None, JsonNode> COUNT_USERS =
            StoreOperation.of("users.count", StoreOperation.None.class, JsonNode.class);
    public static final StoreOperation<NewUser, JsonNode> CREATE_FIRST_USER =
            StoreOperation.of("users.create-first", NewUser.class, JsonNode.class);
    public static final StoreOperation<Email, JsonNode> FIND_USER_BY_EMAIL =
            StoreOperation.of("users.find-by-email", Email.class, JsonNode.class);
    public static final StoreOperation<UserRef, JsonNode> GET_USER = StoreOperation.of("users.get", UserRef.class, JsonNode.class);
    public static final StoreOperation<NewApiKey, JsonNode> CREATE_API_KEY =
            StoreOperation.of("api-keys.create", NewApiKey.class, JsonNode.class);
    public static final StoreOperation<KeyHash, JsonNode> FIND_API_KEY = StoreOperation.of("api-keys.find", KeyHash.class, JsonNode.class);
    public static final StoreOperation<UserRef, JsonNode> LIST_API_KEYS = StoreOperation.of("api-keys.list", UserRef.class, JsonNode.class);
    public static final StoreOperation<ApiKeyRef, JsonNode> REVOKE_API_KEY =
            StoreOperation.of("api-keys.revoke", ApiKeyRef.class, JsonNode.class);

    /** A user or key addressed by the user alone: no team involved, so no scope. */
    public record UserRef(long userId) {
    }

    public record NewUser(String email, String passwordHash) {
    }

    public record Email(String email) {
    }

    /** A key for {@code teamId} (0: the user's first team) with {@code role} (absent: the user's own). */
    public record NewApiKey(long userId, String name, String keyHash, String prefix, int teamId, Role role) {
    }

    public record KeyHash(String keyHash) {
    }

    public record ApiKeyRef(Scope scope, long keyId) {
    }

    private final Database database;

    Accounts(Database database) {
        this.database = database;
    }

    long countUsers() {
        return database.read(sql -> {
            Connection connection = sql.connection();
            try (var statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT count(*) FROM users")) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    /** Creates the first user and a team they own; once any user exists this is a 409, whoever asks. */
    ObjectNode createFirstUser(String email, String passwordHash) {
        return database.write("create user", sql -> {
            Connection connection = sql.connection();
            try (var statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT count(*) FROM users")) {
                row.next();
                if (row.getLong(1) > 0) {
                    throw DomainError.conflict("the first user exists already; sign in instead");
                }
            }
            long id = insertUser(connection, email, passwordHash);
            int team = Teams.insertTeam(connection, email.substring(0, Math.max(1, email.indexOf('@'))) + "'s team", id);
            return Json.object().put("id", id).put("email", email).put("team_id", team);
        });
    }

    /** A new user inside the caller's transaction; an e-mail address in use already is a 409. */
    static long insertUser(Connection connection, String email, String passwordHash) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM users WHERE lower(email) = lower(?)")) {
            exists.setString(1, email);
            try (ResultSet row = exists.executeQuery()) {
                if (row.next()) {
                    throw DomainError.conflict("an account with this e-mail exists already; sign in and open the link again");
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO users (email, password_hash) VALUES (?, ?) RETURNING id")) {
            insert.setString(1, email);
            insert.setString(2, passwordHash);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** The user with that e-mail, including the password hash, session epoch, whether TOTP is on and how many passkeys, or 404. */
    ObjectNode findUserByEmail(String email) {
        return database.read(sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT id, email, password_hash, coalesce(s.session_epoch, 0), coalesce(s.totp_enabled, false), "
                            + "(SELECT count(*) FROM passkeys WHERE passkeys.user_id = users.id) "
                            + "FROM users LEFT JOIN user_security s ON s.user_id = users.id WHERE lower(email) = lower(?)")) {
                statement.setString(1, email);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("no such user");
                    }
                    return Json.object().put("id", row.getLong(1)).put("email", row.getString(2))
                            .put("password_hash", row.getString(3)).put("session_epoch", row.getLong(4))
                            .put("totp_enabled", row.getBoolean(5)).put("passkeys", row.getLong(6));
                }
            }
        });
    }

    ObjectNode user(long id) {
        return database.read(sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, email FROM users WHERE id = ?")) {
                statement.setLong(1, id);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("no such user");
                    }
                    return Json.object().put("id", row.getLong(1)).put("email", row.getString(2));
                }
            }
        });
    }

    /**
     * A key for one of the user's teams ({@code teamId} 0: their first) with at most their own role there
     * ({@code role} null: their own).
     */
    ObjectNode createApiKey(long userId, String name, String keyHash, String prefix, int teamId, Role role) {
        return database.write("create API key", sql -> {
            Connection connection = sql.connection();
            int team = teamId != 0 ? teamId : firstTeam(connection, userId);
            Role own = Teams.memberRole(connection, team, userId).orElseThrow(() -> DomainError.notFound("no such team"));
            Role granted = role == null ? own : role;
            if (!own.atLeast(granted)) {
                throw DomainError.forbidden("a key cannot have a role above your own (" + own.label() + ")");
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO api_keys (user_id, name, key_hash, prefix, team_id, role) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
                insert.setLong(1, userId);
                insert.setString(2, name);
                insert.setString(3, keyHash);
                insert.setString(4, prefix);
                insert.setInt(5, team);
                insert.setString(6, granted.label());
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    return Json.object().put("id", row.getLong(1)).put("name", name).put("prefix", prefix)
                            .put("team_id", team).put("role", granted.label());
                }
            }
        });
    }

    /**
     * Keys, newest first, with names and prefixes, never the keys: the user's own, or with {@code teamId}
     * every key of that team (owners only, checked by the caller).
     */
    ArrayNode listApiKeys(long userId, int teamId) {
        return database.read(sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement statement = connection.prepareStatement("SELECT k.id, k.name, k.prefix, "
                    + "strftime(k.created_at, '%Y-%m-%dT%H:%M:%SZ'), k.team_id, coalesce(t.name, ''), k.role, k.user_id, "
                    + "coalesce(u.email, '') FROM api_keys k LEFT JOIN teams t ON t.id = k.team_id "
                    + "LEFT JOIN users u ON u.id = k.user_id WHERE " + (teamId == 0 ? "k.user_id = ?" : "k.team_id = ?")
                    + " ORDER BY k.id DESC")) {
                if (teamId == 0) {
                    statement.setLong(1, userId);
                } else {
                    statement.setInt(1, teamId);
                }
                var keys = Json.MAPPER.createArrayNode();
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        keys.addObject().put("id", row.getLong(1)).put("name", row.getString(2))
                                .put("prefix", row.getString(3)).put("created_at", row.getString(4))
                                .put("team_id", row.getInt(5)).put("team_name", row.getString(6))
                                .put("role", row.getString(7)).put("user_id", row.getLong(8)).put("email", row.getString(9));
                    }
                }
                return keys;
            }
        });
    }

    /**
     * Deletes a key: the caller's own, or any key of a team the caller owns. Another's key or a missing one
     * is a 404.
     */
    ObjectNode revokeApiKey(Scope scope, long keyId) {
        return database.write("revoke API key", sql -> {
            Connection connection = sql.connection();
            long owner;
            int team;
            String name;
            try (PreparedStatement select = connection.prepareStatement("SELECT user_id, team_id, name FROM api_keys WHERE id = ?")) {
                select.setLong(1, keyId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("no such API key");
                    }
                    owner = row.getLong(1);
                    team = row.getInt(2);
                    name = row.getString(3);
                }
            }
            boolean teamOwner = !scope.viaKey()
                    && Teams.memberRole(connection, team, scope.userId()).filter(role -> role == Role.OWNER).isPresent();
            if (owner != scope.userId() && !teamOwner) {
                throw DomainError.notFound("no such API key");
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM api_keys WHERE id = ?")) {
                delete.setLong(1, keyId);
                delete.execute();
            }
            return Json.object().put("id", keyId).put("name", name).put("team_id", team).put("user_id", owner);
        });
    }

    /**
     * The key with that hash, its owner, team and the role it acts with: the weaker of its own and its
     * owner's current role in the team. A key whose owner left the team is a 404, as is an unknown one.
     */
    ObjectNode findApiKey(String keyHash) {
        return database.read(sql -> {
            Connection connection = sql.connection();
            try (PreparedStatement statement = connection.prepareStatement("SELECT k.id, k.user_id, k.team_id, k.role, m.role "
                    + "FROM api_keys k JOIN team_members m ON m.team_id = k.team_id AND m.user_id = k.user_id WHERE k.key_hash = ?")) {
                statement.setString(1, keyHash);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        throw DomainError.notFound("no such key");
                    }
                    Role keyRole = Role.parse(row.getString(4)).orElse(Role.MEMBER);
                    Role member = Role.parse(row.getString(5)).orElse(Role.MEMBER);
                    return Json.object().put("id", row.getLong(1)).put("user_id", row.getLong(2))
                            .put("team_id", row.getInt(3)).put("role", keyRole.min(member).label());
                }
            }
        });
    }

    private static int firstTeam(Connection connection, long userId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT min(team_id) FROM team_members WHERE user_id = ?")) {
            select.setLong(1, userId);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                int team = row.getInt(1);
                if (row.wasNull()) {
                    throw DomainError.conflict("you are in no team; create one or accept an invitation first");
                }
                return team;
            }
        }
    }
}
