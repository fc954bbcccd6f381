package io.hitkeep.writer;

import io.hitkeep.core.HitKeepException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A connection as {@link Database#read} and {@link Database#write} hand it to a domain: runs a named
 * statement ({@link SqlFile.Named}) with its parameters given as name, value pairs
 * ({@code sql.list(Query.MEMBERS_OF_TEAM, row -> ..., "team_id", 7)}), so a handler says what it asks, not how JDBC
 * wants it. Used by one thread at a time, inside the work it was handed to.
 */
public final class Sql {
    /** Turns the current row into a value. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final Connection connection;

    Sql(Connection connection) {
        this.connection = connection;
    }

    /** The connection itself, for SQL that is composed at run time (the stats queries). */
    public Connection connection() {
        return connection;
    }

    public <T> List<T> list(SqlFile.Named named, Row<T> row, Object... namedValues) throws SQLException {
        try (PreparedStatement prepared = prepare(named, namedValues); ResultSet rows = prepared.executeQuery()) {
            List<T> values = new ArrayList<>();
            while (rows.next()) {
                values.add(row.map(rows));
            }
            return values;
        }
    }

    /** The first row, if any. */
    public <T> Optional<T> first(SqlFile.Named named, Row<T> row, Object... namedValues) throws SQLException {
        try (PreparedStatement prepared = prepare(named, namedValues); ResultSet rows = prepared.executeQuery()) {
            return rows.next() ? Optional.ofNullable(row.map(rows)) : Optional.empty();
        }
    }

    /** The first column of the first row as a number (a count, a new id); 0 without a row or for NULL. */
    public long number(SqlFile.Named named, Object... namedValues) throws SQLException {
        return first(named, rows -> rows.getLong(1), namedValues).orElse(0L);
    }

    /** Runs an INSERT, UPDATE or DELETE without RETURNING; answers how many rows it touched. */
    public int update(SqlFile.Named named, Object... namedValues) throws SQLException {
        try (PreparedStatement prepared = prepare(named, namedValues)) {
            return prepared.executeUpdate();
        }
    }

    private PreparedStatement prepare(SqlFile.Named named, Object... namedValues) throws SQLException {
        SqlFile.Statement statement = SqlFile.of(named);
        if (namedValues.length % 2 != 0) {
            throw new HitKeepException(statement.name() + ": parameters come as name, value pairs");
        }
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < namedValues.length; i += 2) {
            values.put((String) namedValues[i], namedValues[i + 1]);
        }
        PreparedStatement prepared = connection.prepareStatement(statement.sql());
        try {
            for (int i = 0; i < statement.parameters().size(); i++) {
                String name = statement.parameters().get(i);
                if (!values.containsKey(name)) {
                    throw new HitKeepException(statement.name() + ": no value for :" + name);
                }
                prepared.setObject(i + 1, values.get(name));
            }
            return prepared;
        } catch (SQLException | RuntimeException e) {
            prepared.close();
            throw e;
        }
    }
}
