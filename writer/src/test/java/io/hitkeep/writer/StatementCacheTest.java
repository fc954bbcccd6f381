package io.hitkeep.writer;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A kept statement answers as a new one would: the rows written since by another connection, a temporary table
 * made again with other columns (the stats' fresh days), its own parameters and none left over from its last
 * use; the same text used twice at once is two statements; a statement whose run failed is not kept.
 */
class StatementCacheTest {
    private static final String SUM = "SELECT sum(x), count(*) FROM numbers WHERE x >= ?";

    @Test
    void aKeptStatementReadsTheRowsWrittenSinceByAnotherConnection() throws SQLException {
        try (StoredHits stored = StoredHits.open(); Connection writes = stored.database().connection();
             Connection reads = StatementCache.keeping(stored.database().connection())) {
            execute(writes, "CREATE TABLE numbers AS SELECT range AS x FROM range(5)");
            PreparedStatement first;
            try (PreparedStatement statement = reads.prepareStatement(SUM)) {
                first = unwrapped(statement);
                statement.setInt(1, 1);
                assertEquals("10 4", row(statement));
            }
            execute(writes, "INSERT INTO numbers SELECT range + 5 FROM range(5)");
            try (PreparedStatement statement = reads.prepareStatement(SUM)) {
                assertSame(first, unwrapped(statement), "the statement kept");
                // a parameter not set is an error, not the last use's value
                assertThrows(SQLException.class, statement::executeQuery);
            }
            try (PreparedStatement statement = reads.prepareStatement(SUM)) {
                assertNotSame(first, unwrapped(statement), "the failed one was not kept");
                statement.setInt(1, 1);
                assertEquals("45 9", row(statement));
            }
        }
    }

    @Test
    void aTemporaryTableMadeAgainWithOtherColumnsIsReadAsItIsNow() throws SQLException {
        try (StoredHits stored = StoredHits.open(); Connection reads = StatementCache.keeping(stored.database().connection())) {
            execute(reads, "CREATE TEMP TABLE numbers AS SELECT range AS x FROM range(3)");
            try (PreparedStatement statement = reads.prepareStatement(SUM)) {
                statement.setInt(1, 0);
                assertEquals("3 3", row(statement));
            }
            execute(reads, "DROP TABLE numbers");
            execute(reads, "CREATE TEMP TABLE numbers AS SELECT 'label' AS name, range * 10 AS x FROM range(4)");
            try (PreparedStatement statement = reads.prepareStatement(SUM)) {
                statement.setInt(1, 0);
                assertEquals("60 4", row(statement));
            }
        }
    }

    @Test
    void theSameTextUsedTwiceAtOnceIsTwoStatements() throws SQLException {
        try (StoredHits stored = StoredHits.open(); Connection reads = StatementCache.keeping(stored.database().connection())) {
            execute(reads, "CREATE TABLE numbers AS SELECT range AS x FROM range(4)");
            try (PreparedStatement outer = reads.prepareStatement("SELECT x FROM numbers ORDER BY x");
                 ResultSet rows = outer.executeQuery()) {
                int seen = 0;
                while (rows.next()) {
                    try (PreparedStatement inner = reads.prepareStatement("SELECT x FROM numbers ORDER BY x");
                         ResultSet again = inner.executeQuery()) {
                        assertNotSame(unwrapped(outer), unwrapped(inner));
                        assertTrue(again.next());
                    }
                    seen++;
                }
                assertEquals(4, seen, "the outer rows were not cut short by the inner use");
            }
            PreparedStatement closed = reads.prepareStatement("SELECT 1");
            closed.close();
            assertTrue(closed.isClosed());
            assertThrows(SQLException.class, closed::executeQuery);
            assertFalse(reads.isClosed());
        }
    }

    private static PreparedStatement unwrapped(PreparedStatement statement) throws SQLException {
        return statement.unwrap(PreparedStatement.class);
    }

    private static String row(PreparedStatement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1) + " " + row.getLong(2);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
