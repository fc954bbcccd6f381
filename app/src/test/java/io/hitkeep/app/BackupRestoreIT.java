package io.hitkeep.app;

import io.hitkeep.core.Settings;
import io.hitkeep.testing.HttpSession;
import io.hitkeep.testing.TempFiles;
import io.hitkeep.writer.Database;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backups of the built jar, end to end with real processes: one taken while hits come in is restored into a new
 * data folder and has every hit acknowledged before the backup began; one killed half-way leaves nothing that
 * looks like a backup.
 */
class BackupRestoreIT {
    private static final String SECRET = "backup-test-secret-0123456789abcdef0123456789";
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    private static Map<String, String> environment(Path data) {
        return Map.of("HITKEEP_DATA_PATH", data.toString(), "HITKEEP_JWT_SECRET", SECRET, "HITKEEP_INGEST_RATE_LIMIT", "100000");
    }

    @Test
    void aBackupTakenDuringIngestRestoresEveryHitAcknowledgedBeforeItBegan() throws Exception {
        Path data = TempFiles.directory("hk-bk-data-");
        Path backups = TempFiles.directory("hk-bk-backups-");
        Path restored = TempFiles.directory("hk-bk-restored-").resolve("data");
        Path log = Files.createTempFile("hk-bk-", ".log");
        long acknowledgedBefore;
        int site;
        try (JavaProcess server = JavaProcess.start(null, environment(data), log)) {
            site = new HttpSession(server.port).signIn("owner@example.com", "correct horse battery").createSite("example.com", "UTC");
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicLong acknowledged = new AtomicLong();
            Thread ingest = Thread.ofPlatform().start(() -> {
                HttpSession visitor = new HttpSession(server.port);
                for (int i = 0; sending.get(); i++) {
                    if (visitor.pageview(HttpSession.FIREFOX_LINUX, "198.51.100." + (i % 250),
                            Map.of("url", "https://example.com/p" + (i % 30))).status() == 202) {
                        acknowledged.incrementAndGet();
                    }
                }
            });
            while (acknowledged.get() < 300) {
                JavaProcess.pause(20);
            }
            acknowledgedBefore = acknowledged.get();
            JarCommand backup = JarCommand.run(environment(data), "backup", "--to", backups.toString());
            long acknowledgedAfter = acknowledged.get();
            sending.set(false);
            ingest.join();
            assertEquals(0, backup.exitCode(), backup.err());
            assertTrue(backup.err().contains("running installation"), backup.err());
            assertTrue(acknowledgedAfter > acknowledgedBefore, "ingest went on during the backup: " + acknowledgedBefore + " then " + acknowledgedAfter);
        }

        JarCommand restore = JarCommand.run(environment(restored), "restore", "--from", backups.toString());
        assertEquals(0, restore.exitCode(), restore.err());
        try (JavaProcess server = JavaProcess.start(null, environment(restored), log)) {
            HttpSession owner = new HttpSession(server.port).signIn("owner@example.com", "correct horse battery");
            long counted = owner.stats(site, TODAY, TODAY).json().get("summary").get("pageviews").asLong();
            assertTrue(counted >= acknowledgedBefore, counted + " pageviews restored, " + acknowledgedBefore + " acknowledged before the backup");
        } finally {
            TempFiles.deleteTree(data);
            TempFiles.deleteTree(backups);
            TempFiles.deleteTree(restored.getParent());
        }
    }

    @Test
    void aBackupKilledHalfWayLeavesNothingThatLooksComplete() throws Exception {
        Path data = TempFiles.directory("hk-bk-kill-");
        Path backups = TempFiles.directory("hk-bk-kill-backups-");
        // a stopped installation large enough that copying it takes a moment
        try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())));
             var connection = database.connection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO hits SELECT TIMESTAMP '2026-01-01' + INTERVAL (i) SECOND, 1, 'example.com', '/p' || (i % 997), "
                    + "'', '', '', '', '', '', '', 'DE', 'Firefox', 'Linux', 'desktop', 'de', 1280, i % 100003, i % 50021, '128', '', '' "
                    + "FROM range(4000000) t(i)");
        }
        JarCommand.Started backup = JarCommand.start(environment(data), "backup", "--to", backups.toString());
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (partials(backups).isEmpty()) {
            assertTrue(System.nanoTime() < deadline && backup.process().isAlive(), "the backup never started: " + backup.read(backup.err()));
            JavaProcess.pause(2);
        }
        backup.process().destroyForcibly().waitFor();
        backup.process().descendants().forEach(ProcessHandle::destroyForcibly);
        try {
            assertEquals(1, partials(backups).size(), "the half-made backup is there, under its partial name");
            assertTrue(complete(backups).isEmpty(), "nothing that looks like a backup: " + complete(backups));
            JarCommand restore = JarCommand.run(environment(backups.resolve("restored")), "restore", "--from", backups.toString());
            assertEquals(1, restore.exitCode());
            assertTrue(restore.err().contains("no complete backup"), restore.err());

            JarCommand again = JarCommand.run(environment(data), "backup", "--to", backups.toString());
            assertEquals(0, again.exitCode(), again.err());
            assertEquals(List.of(), partials(backups), "the next backup removed the half-made one");
            assertEquals(1, complete(backups).size());
        } finally {
            TempFiles.deleteTree(data);
            TempFiles.deleteTree(backups);
        }
    }

    private static List<Path> partials(Path backups) throws Exception {
        try (Stream<Path> entries = Files.list(backups)) {
            return entries.filter(path -> path.getFileName().toString().startsWith(".partial-")).toList();
        }
    }

    private static List<Path> complete(Path backups) throws Exception {
        try (Stream<Path> entries = Files.list(backups)) {
            return entries.filter(path -> path.getFileName().toString().startsWith("hitkeep-backup-")).toList();
        }
    }

}
