package io.hitkeep.writer;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.Settings;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A read that runs out of DuckDB's memory is a 503 to try again (UNAVAILABLE), not an internal error. */
class DatabaseMemoryTest {
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
