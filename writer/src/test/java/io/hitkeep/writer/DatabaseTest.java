package io.hitkeep.writer;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why {@link Database#write} runs every non-hit write on one connection, one transaction at a time: DuckDB's
 * concurrency is optimistic, so two transactions on two connections that change the same row do not wait
 * for each other, the second fails with a conflict. A connection pool per transaction (a general-purpose
 * database client's default) would turn a race between two sign-ins into an error instead of an order.
 */
class DatabaseTest {
    @Test
    void twoConnectionsChangingOneRowConflictInsteadOfWaiting() throws Exception {
        try (StoredHits stored = StoredHits.open();
             Connection first = stored.database().connection();
             Connection second = stored.database().connection();
             Statement setUp = first.createStatement()) {
            setUp.execute("CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER)");
            setUp.execute("INSERT INTO counters VALUES (1, 0)");
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            try (Statement one = first.createStatement(); Statement two = second.createStatement()) {
                one.execute("UPDATE counters SET n = n + 1 WHERE id = 1");
                SQLException conflict = assertThrows(SQLException.class, () -> two.execute("UPDATE counters SET n = n + 1 WHERE id = 1"));
                assertTrue(conflict.getMessage().toLowerCase().contains("conflict"), conflict.getMessage());
            }
            first.commit();
            second.rollback();
        }
    }

    @Test
    void writesThroughTheDatabaseWaitForEachOtherAndAllCount() throws Exception {
        try (StoredHits stored = StoredHits.open()) {
            Database database = stored.database();
            database.write("set up", sql -> {
                try (Statement statement = sql.connection().createStatement()) {
                    statement.execute("CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER)");
                    statement.execute("INSERT INTO counters VALUES (1, 0)");
                }
                return null;
            });
            int writers = 8;
            CountDownLatch start = new CountDownLatch(1);
            try (var pool = Executors.newFixedThreadPool(writers)) {
                java.util.List<Future<?>> done = new java.util.ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    done.add(pool.submit(() -> {
                        start.await();
                        return database.write("count", sql -> {
                            try (Statement statement = sql.connection().createStatement()) {
                                return statement.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = 1");
                            }
                        });
                    }));
                }
                start.countDown();
                for (Future<?> future : done) {
                    future.get(30, TimeUnit.SECONDS);
                }
            }
            long n = database.read(sql -> {
                try (Statement statement = sql.connection().createStatement(); var row = statement.executeQuery("SELECT n FROM counters")) {
                    row.next();
                    return row.getLong(1);
                }
            });
            assertEquals(writers, n);
        }
    }
}
