package io.hitkeep.reports.archive;

import io.hitkeep.core.Settings;
import io.hitkeep.reports.TestHits;
import io.hitkeep.testing.TempFiles;
import io.hitkeep.writer.ArchivedMonths;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.HitWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention moves whole months older than a site's {@code retention_days} into Parquet files and nothing is lost
 * or doubled, whether the job runs once, twice, or is stopped between any two of its steps the way a kill -9
 * would stop it (the test then reopens the file as a restarted process would).
 */
class ArchiverTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-05-20");

    /** Site 1 keeps 40 days: January to March are due (April 10 is the limit's month start: April stays). */
    private static Database seeded(Path data) {
        Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())));
        TestHits.execute(database, "INSERT INTO sites (id, owner_id, domain, name, timezone, retention_days) VALUES "
                + "(1, 1, 'example.com', 'e', 'UTC', 40), (2, 1, 'other.example', 'o', 'UTC', NULL)");
        HitWriter.store(database, TestHits.days(1, "2026-01-01", 140, 3));
        HitWriter.store(database, TestHits.days(2, "2026-01-01", 30, 2));
        return database;
    }

    /** Rows of site 1 in the tables plus the rows its archived months' files hold, as the stats would read them. */
    private static long everyRow(Database database) {
        Path data = database.file().getParent();
        long inFiles = database.read(sql -> {
            long total = 0;
            try (var statement = sql.connection().prepareStatement("SELECT file, pending_file FROM archived_months WHERE site_id = 1");
                 var rows = statement.executeQuery()) {
                while (rows.next()) {
                    Path file = ArchivedMonths.readable(data, rows.getString(1), rows.getString(2));
                    try (var count = sql.connection().createStatement().executeQuery("SELECT count(*) FROM "
                            + ArchivedMonths.readParquet(List.of(file.toString())))) {
                        count.next();
                        total += count.getLong(1);
                    }
                }
            }
            return total;
        });
        return TestHits.rows(database, 1) + inFiles;
    }

    @Test
    void dueMonthsMoveToParquetAndARunAgainDoesNothing() throws Exception {
        Path data = TempFiles.directory("hk-archive-");
        try (Database database = seeded(data)) {
            long before = everyRow(database);
            Archiver archiver = new Archiver(database);
            assertEquals(List.of(new Archiver.Due(1, "2026-01"), new Archiver.Due(1, "2026-02"), new Archiver.Due(1, "2026-03")),
                    archiver.due(TODAY), "site 2 keeps every hit");
            for (Archiver.Due due : archiver.due(TODAY)) {
                archiver.archive(due.siteId(), due.month());
            }
            assertEquals(List.of(), archiver.due(TODAY));
            assertEquals(before, everyRow(database));
            assertEquals(0, TestHits.count(database, "SELECT count(*) FROM hits WHERE site_id = 1 AND timestamp < '2026-04-01'"));
            Path january = data.resolve("archive/site=1/month=2026-01.parquet");
            assertTrue(Files.isRegularFile(january));
            assertEquals(31 * 5, TestHits.count(database, "SELECT count(*) FROM " + ArchivedMonths.readParquet(List.of(january.toString()))),
                    "31 days of 3 pageviews, an event and a ping");
            assertEquals("zstd", database.read(sql -> {
                try (var row = sql.connection().createStatement().executeQuery("SELECT lower(compression) FROM parquet_metadata("
                        + ArchivedMonths.literal(january.toString()) + ") LIMIT 1")) {
                    row.next();
                    return row.getString(1);
                }
            }));
            assertEquals(0, new Archiver(database).archive(1, "2026-01").rowsMoved(), "a second run finds nothing to move");
            assertEquals(30 * 4, TestHits.rows(database, 2), "another site's rows stay");
        } finally {
            TempFiles.deleteTree(data);
        }
    }

    @Test
    void lateRowsForAnArchivedMonthAreMergedIntoItsFile() {
        Path data = TempFiles.directory("hk-archive-late-");
        try (Database database = seeded(data)) {
            Archiver archiver = new Archiver(database);
            archiver.archive(1, "2026-01");
            HitWriter.store(database, List.of(TestHits.hit(1, "2026-01-15T10:00:00Z", "/late", "", 0, 99)));
            long before = everyRow(database);
            Archiver.Archived merged = archiver.archive(1, "2026-01");
            assertEquals(1, merged.rowsMoved());
            assertEquals(31 * 5 + 1, merged.rowsInFile());
            assertEquals(before, everyRow(database));
        } finally {
            TempFiles.deleteTree(data);
        }
    }

    /** A stop as a kill -9 would make it: nothing after the step runs, no clean-up, no rollback code. */
    private static final class Killed extends Error {
    }

    @ParameterizedTest
    @EnumSource(Archiver.Step.class)
    void aStopBetweenAnyTwoStepsLosesAndDoublesNothing(Archiver.Step stopAt) {
        Path data = TempFiles.directory("hk-archive-kill-");
        long before;
        try (Database database = seeded(data)) {
            before = everyRow(database);
            assertThrows(Killed.class, () -> new Archiver(database).archive(1, "2026-02", step -> {
                if (step == stopAt) {
                    throw new Killed();
                }
            }));
            assertEquals(before, everyRow(database), "while stopped at " + stopAt + " the stats read every row once");
        }
        // a restarted process: the file is opened again, the job runs again
        try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())))) {
            assertEquals(before, everyRow(database), "after the restart");
            Archiver archiver = new Archiver(database);
            for (Archiver.Due due : archiver.due(TODAY)) {
                archiver.archive(due.siteId(), due.month());
            }
            assertEquals(before, everyRow(database), "after the job ran again");
            assertEquals(0, TestHits.count(database, "SELECT count(*) FROM archived_months WHERE pending_file IS NOT NULL"));
            try (var files = Files.list(data.resolve("archive/site=1"))) {
                List<String> names = files.map(path -> path.getFileName().toString()).sorted().toList();
                assertEquals(List.of("month=2026-01.parquet", "month=2026-02.parquet", "month=2026-03.parquet"), names,
                        "no temporary file is left");
            }
            assertFalse(archiver.due(TODAY).stream().anyMatch(due -> due.month().equals(YearMonth.of(2026, 2).toString())));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            TempFiles.deleteTree(data);
        }
    }
}
