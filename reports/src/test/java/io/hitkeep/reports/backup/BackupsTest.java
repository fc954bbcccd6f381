package io.hitkeep.reports.backup;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Settings;
import io.hitkeep.reports.TestHits;
import io.hitkeep.testing.TempFiles;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.HitWriter;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups on real DuckDB files: consistent while hits are written, restored only into an empty folder, refused
 * for a target that cannot be written, and a backup that did not finish never looks like one.
 */
class BackupsTest {
    private static Database open(Path data) {
        return Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())));
    }

    @Test
    void aBackupWhileHitsAreWrittenHoldsEveryHitStoredBeforeItBeganAndRestores() throws Exception {
        Path data = TempFiles.directory("hk-backup-data-");
        Path backups = TempFiles.directory("hk-backups-");
        Path restored = TempFiles.directory("hk-restored-").resolve("data");
        try (Database database = open(data)) {
            Files.writeString(data.resolve("jwt-secret"), "a-key-of-the-installation-0123456789");
            TestHits.execute(database, "INSERT INTO sites (id, owner_id, domain, name, timezone) VALUES (1, 1, 'example.com', 'e', 'UTC')");
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong stored = new AtomicLong();
            Thread writer = Thread.ofPlatform().start(() -> {
                while (writing.get()) {
                    HitWriter.store(database, TestHits.days(1, "2026-03-01", 1, 50));
                    stored.addAndGet(52);
                }
            });
            while (stored.get() < 2000) {
                Thread.sleep(10);
            }
            long storedBefore = stored.get();
            Backups.Made made = new Backups(database, () -> 0).create(backups, 0);
            writing.set(false);
            writer.join();

            Path backup = Path.of(made.path());
            assertTrue(backup.getFileName().toString().startsWith(Backups.PREFIX));
            assertEquals(List.of(backup), Backups.complete(backups));
            Restore.Restored back = Restore.into(backups, restored);
            assertEquals(backup, back.backup());
            assertEquals("a-key-of-the-installation-0123456789", Files.readString(restored.resolve("jwt-secret")));
            try (Database copy = open(restored)) {
                long rows = TestHits.rows(copy, 1);
                assertTrue(rows >= storedBefore, rows + " rows in the backup, " + storedBefore + " stored before it began");
                assertEquals(0, rows % 52, "whole transactions only: " + rows);
                assertEquals(1, TestHits.count(copy, "SELECT count(*) FROM sites"));
            }
        } finally {
            TempFiles.deleteTree(data);
            TempFiles.deleteTree(backups);
            TempFiles.deleteTree(restored.getParent());
        }
    }

    @Test
    void restoreRefusesAFolderThatIsNotEmptyAndChangesNothing() throws Exception {
        Path data = TempFiles.directory("hk-backup-data-");
        Path backups = TempFiles.directory("hk-backups-");
        Path occupied = TempFiles.directory("hk-occupied-");
        try (Database database = open(data)) {
            new Backups(database, () -> 0).create(backups, 0);
            Files.writeString(occupied.resolve("notes.txt"), "mine");
            HitKeepException refused = assertThrows(HitKeepException.class, () -> Restore.into(backups, occupied));
            assertTrue(refused.getMessage().contains("not empty"), refused.getMessage());
            try (var entries = Files.list(occupied)) {
                assertEquals(List.of("notes.txt"), entries.map(path -> path.getFileName().toString()).toList());
            }
            assertFalse(Files.exists(occupied.resolveSibling("." + occupied.getFileName() + ".restoring")));
        } finally {
            TempFiles.deleteTree(data);
            TempFiles.deleteTree(backups);
            TempFiles.deleteTree(occupied);
        }
    }

    @Test
    void aTargetThatCannotBeWrittenIsRefusedAndLeavesNothing() throws Exception {
        Path data = TempFiles.directory("hk-backup-data-");
        Path parent = TempFiles.directory("hk-backup-file-");
        Path aFile = Files.writeString(parent.resolve("not-a-folder"), "x");
        try (Database database = open(data)) {
            DomainError refused = assertThrows(DomainError.class, () -> new Backups(database, () -> 0).create(aFile.resolve("backups"), 0));
            assertEquals(DomainError.Kind.INVALID, refused.kind());
            assertTrue(refused.getMessage().contains("cannot be created"), refused.getMessage());
            try (var entries = Files.list(parent)) {
                assertEquals(1, entries.count());
            }
        } finally {
            TempFiles.deleteTree(data);
            TempFiles.deleteTree(parent);
        }
    }

    @Test
    void aHalfMadeBackupIsNeverRestoredAndTheNextBackupRemovesIt() throws Exception {
        Path data = TempFiles.directory("hk-backup-data-");
        Path backups = TempFiles.directory("hk-backups-");
        try (Database database = open(data)) {
            // what a kill -9 in the middle leaves: a partial folder, even with a database and a manifest in it
            Path partial = Files.createDirectories(backups.resolve(Backups.PARTIAL + Backups.PREFIX + "20260101T000000.000Z"));
            Files.writeString(partial.resolve(Backups.DATABASE), "half");
            Files.writeString(partial.resolve(Backups.MANIFEST), "{}");
            assertEquals(List.of(), Backups.complete(backups));
            HitKeepException none = assertThrows(HitKeepException.class, () -> Restore.into(backups, backups.resolve("restored")));
            assertTrue(none.getMessage().contains("no complete backup"), none.getMessage());

            new Backups(database, () -> 0).create(backups, 2);
            new Backups(database, () -> 0).create(backups, 2);
            Path third = Path.of(new Backups(database, () -> 0).create(backups, 2).path());
            assertFalse(Files.exists(partial));
            assertEquals(2, Backups.complete(backups).size(), "keep 2");
            assertEquals(third, Backups.complete(backups).getLast());
            // a damaged file is found before anything is restored
            Files.writeString(third.resolve("jwt-secret"), "tampered");
            Files.deleteIfExists(third.resolve("jwt-secret"));
            Files.write(third.resolve(Backups.DATABASE), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
            HitKeepException damaged = assertThrows(HitKeepException.class, () -> Restore.into(third, backups.resolve("restored")));
            assertTrue(damaged.getMessage().contains("damaged"), damaged.getMessage());
            assertFalse(Files.exists(backups.resolve("restored")));
        } finally {
            TempFiles.deleteTree(data);
            TempFiles.deleteTree(backups);
        }
    }
}
