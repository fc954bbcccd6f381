package io.hitkeep.writer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.ApiError;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Json;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Users and API keys as the auth role stores them: password and key hashes only, computed by the
 * caller (the writer never sees a password or a key). Thread-safe: writes serialise on their connection.
 */
final class Accounts {
    private final Database database;
    private final Connection writes;

    Accounts(Database database, Connection writes) {
        this.database = database;
        this.writes = writes;
    }

    long countUsers() {
        return database.read(connection -> {
            try (var statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT count(*) FROM users")) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    /** Creates the first user; once any user exists this is a 409, whoever asks. */
    ObjectNode createFirstUser(String email, String passwordHash) {
        synchronized (writes) {
            try {
                writes.setAutoCommit(false);
                try (var statement = writes.createStatement(); ResultSet row = statement.executeQuery("SELECT count(*) FROM users")) {
                    row.next();
                    if (row.getLong(1) > 0) {
                        writes.rollback();
                        throw new ApiError(409, "the first user exists already; sign in instead");
                    }
                }
                ObjectNode user;
                try (PreparedStatement insert = writes.prepareStatement(
                        "INSERT INTO users (email, password_hash) VALUES (?, ?) RETURNING id, email")) {
                    insert.setString(1, email);
                    insert.setString(2, passwordHash);
                    try (ResultSet row = insert.executeQuery()) {
                        row.next();
                        user = Json.object().put("id", row.getLong(1)).put("email", row.getString(2));
                    }
                }
                writes.commit();
                return user;
            } catch (SQLException e) {
                rollbackQuietly();
                throw new HitKeepException("cannot create user: " + e.getMessage(), e);
            } finally {
                autoCommitQuietly();
            }
        }
    }

    /** The user with that e-mail, including the password hash, session epoch, whether TOTP is on and how many passkeys, or 404. */
    ObjectNode findUserByEmail(String email) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT id, email, password_hash, coalesce(s.session_epoch, 0), coalesce(s.totp_enabled, false), "
                            + "(SELECT count(*) FROM passkeys WHERE passkeys.user_id = users.id) "
                            + "FROM users LEFT JOIN user_security s ON s.user_id = users.id WHERE lower(email) = lower(?)")) {
                statement.setString(1, email);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        throw ApiError.notFound("no such user");
                    }
                    return Json.object().put("id", row.getLong(1)).put("email", row.getString(2))
                            .put("password_hash", row.getString(3)).put("session_epoch", row.getLong(4))
                            .put("totp_enabled", row.getBoolean(5)).put("passkeys", row.getLong(6));
                }
            }
        });
    }

    ObjectNode user(long id) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, email FROM users WHERE id = ?")) {
                statement.setLong(1, id);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        throw ApiError.notFound("no such user");
                    }
                    return Json.object().put("id", row.getLong(1)).put("email", row.getString(2));
                }
            }
        });
    }

    ObjectNode createApiKey(long userId, String name, String keyHash, String prefix) {
        synchronized (writes) {
            try (PreparedStatement insert = writes.prepareStatement(
                    "INSERT INTO api_keys (user_id, name, key_hash, prefix) VALUES (?, ?, ?, ?) RETURNING id")) {
                insert.setLong(1, userId);
                insert.setString(2, name);
                insert.setString(3, keyHash);
                insert.setString(4, prefix);
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    return Json.object().put("id", row.getLong(1)).put("name", name).put("prefix", prefix);
                }
            } catch (SQLException e) {
                throw new HitKeepException("cannot create API key: " + e.getMessage(), e);
            }
        }
    }

    /** The user's keys, newest first: names and prefixes, never the keys. */
    ArrayNode listApiKeys(long userId) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, name, prefix, "
                    + "strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') FROM api_keys WHERE user_id = ? ORDER BY id DESC")) {
                statement.setLong(1, userId);
                var keys = Json.MAPPER.createArrayNode();
                try (ResultSet row = statement.executeQuery()) {
                    while (row.next()) {
                        keys.addObject().put("id", row.getLong(1)).put("name", row.getString(2))
                                .put("prefix", row.getString(3)).put("created_at", row.getString(4));
                    }
                }
                return keys;
            }
        });
    }

    /** Deletes one of the user's keys; someone else's key or a missing one is a 404. */
    ObjectNode revokeApiKey(long userId, long keyId) {
        synchronized (writes) {
            try (PreparedStatement delete = writes.prepareStatement(
                    "DELETE FROM api_keys WHERE id = ? AND user_id = ? RETURNING id, name")) {
                delete.setLong(1, keyId);
                delete.setLong(2, userId);
                try (ResultSet row = delete.executeQuery()) {
                    if (!row.next()) {
                        throw ApiError.notFound("no such API key");
                    }
                    return Json.object().put("id", row.getLong(1)).put("name", row.getString(2));
                }
            } catch (SQLException e) {
                throw new HitKeepException("cannot revoke API key: " + e.getMessage(), e);
            }
        }
    }

    /** The key with that hash and its owner, or 404. */
    ObjectNode findApiKey(String keyHash) {
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT id, user_id FROM api_keys WHERE key_hash = ?")) {
                statement.setString(1, keyHash);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        throw ApiError.notFound("no such key");
                    }
                    return Json.object().put("id", row.getLong(1)).put("user_id", row.getLong(2));
                }
            }
        });
    }

    private void rollbackQuietly() {
        try {
            writes.rollback();
        } catch (SQLException ignored) {
            // the transaction is gone either way
        }
    }

    private void autoCommitQuietly() {
        try {
            writes.setAutoCommit(true);
        } catch (SQLException ignored) {
            // next use sets it again
        }
    }
}
