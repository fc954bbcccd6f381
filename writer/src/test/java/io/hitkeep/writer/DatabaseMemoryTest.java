package io.hitkeep.writer;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.Settings;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A read that runs out of DuckDB's memory is a 503 to try again (UNAVAILABLE), not an internal error; the limit
 * left unset follows the memory the process may use.
 */
class DatabaseMemoryTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void theDefaultLimitIsAnEighthOfTheMemoryBetween128And384Megabytes() {
        assertEquals("128MB", Database.defaultMemoryLimit(512 * MIB), "a 512 MB container keeps room for the JVM");
        assertEquals("128MB", Database.defaultMemoryLimit(1024 * MIB));
        assertEquals("256MB", Database.defaultMemoryLimit(2048 * MIB));
        assertEquals("384MB", Database.defaultMemoryLimit(24 * 1024 * MIB), "a big machine: at most 384MB");
        assertEquals("128MB", Database.defaultMemoryLimit(0), "unknown: the smallest");
    }

    @Test
    void anOpenDatabaseWithoutALimitOfItsOwnHasTheDefaultForThisMachine() {
        Path data = TempFiles.directory("hk-memory-");
        try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())))) {
            long limitMib = HitWriterTest.count(database, "SELECT value::BIGINT FROM (SELECT regexp_extract(current_setting('memory_limit'), '([0-9.]+)', 1) AS value)");
            String expected = Database.defaultMemoryLimit(Database.machineMemory());
            // DuckDB reports the limit back in MiB ("366.2 MiB" for 384MB, which it reads as 384,000,000 bytes): within a MiB
            assertEquals(Long.parseLong(expected.replace("MB", "")) * 1000 * 1000 / MIB, limitMib, 1, expected);
        } finally {
            TempFiles.deleteTree(data);
        }
    }

    @Test
    void anOpenDatabaseRunsTwoWorkersAndOneAsynchronousThread() {
        Path data = TempFiles.directory("hk-memory-");
        try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())))) {
            assertEquals(2, HitWriterTest.count(database, "SELECT current_setting('threads')"));
            assertEquals(1, HitWriterTest.count(database, "SELECT current_setting('async_threads')"), "DuckDB's default is 8");
        } finally {
            TempFiles.deleteTree(data);
        }
    }

    @Test
    void releasingTheCacheGivesBackTheBlocksABulkReadLeftAndKeepsTheLimit() {
        Path data = TempFiles.directory("hk-memory-");
        try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString(), "duckdb-memory-limit", "384MB")))) {
            database.write("a table of ~100 MiB cached", sql -> sql.connection().createStatement()
                    .execute("CREATE TABLE bulk AS SELECT range AS id, md5(range::VARCHAR) AS text FROM range(6000000)"));
            database.checkpoint();  // its blocks are the file's now, as the hits' are, and stay cached after a read
            String limit = "SELECT current_setting('memory_limit')";
            String before = HitWriterTest.text(database, limit);
            String cached = "SELECT sum(memory_usage_bytes) // " + MIB + " FROM duckdb_memory() WHERE tag = 'BASE_TABLE'";
            assertEquals(6000000L * 32, HitWriterTest.count(database, "SELECT sum(length(text)) FROM bulk"));
            long mibBefore = HitWriterTest.count(database, cached);
            assertTrue(mibBefore >= 90, "cached after the read: " + mibBefore + " MiB");

            database.releaseCache();

            long mibAfter = HitWriterTest.count(database, cached);
            // evicted down to the moment's limit, 64MB (61 MiB)
            assertTrue(mibAfter <= 61, "cached after the release: " + mibAfter + " of " + mibBefore + " MiB");
            assertEquals(before, HitWriterTest.text(database, limit), "the limit is set back");
            assertEquals(6000000L * 32, HitWriterTest.count(database, "SELECT sum(length(text)) FROM bulk"), "read again");
        } finally {
            TempFiles.deleteTree(data);
        }
    }

    @Test
    void aReadOutOfDuckDbsMemoryIsUnavailableAndTheDatabaseStillAnswers() {
        Path data = TempFiles.directory("hk-memory-");
        try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString(), "duckdb-memory-limit", "8MB")))) {
            // a list cannot spill to disk: 20 million numbers need far more than 8 MB
            DomainError refused = assertThrows(DomainError.class, () -> database.read(sql -> {
                try (var rows = sql.connection().createStatement().executeQuery("SELECT list(range) FROM range(20000000)")) {
                    rows.next();
                    return rows.getObject(1);
                }
            }));
            assertEquals(DomainError.Kind.UNAVAILABLE, refused.kind(), refused.getMessage());
            assertEquals(1000, HitWriterTest.count(database, "SELECT count(*) FROM range(1000)"), "the next read is answered");
        } finally {
            TempFiles.deleteTree(data);
        }
    }
}
