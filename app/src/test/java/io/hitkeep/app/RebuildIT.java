package io.hitkeep.app;

import io.hitkeep.reports.backup.DurableFiles;
import io.hitkeep.testing.HttpSession;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.Test;

import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A damaged {@code hitkeep.db}: the server refuses to start, says what is wrong and what to run, and changes
 * nothing; {@code rebuild} puts the newest backup in its place (setting the damaged file aside) and re-applies the
 * hits the stream still holds, so every hit that got a 202 is counted once, those after the backup included.
 */
class RebuildIT {
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @Test
    void aDamagedDatabaseIsRebuiltFromTheNewestBackupAndTheStream() throws Exception {
        Path data = TempFiles.directory("hk-rebuild-");
        Path backups = TempFiles.directory("hk-rebuild-backups-");
        Path log = Files.createTempFile("hk-rebuild-", ".log");
        Map<String, String> environment = Map.of("HITKEEP_DATA_PATH", data.toString(), "HITKEEP_BACKUP_PATH", backups.toString(),
                "HITKEEP_JWT_SECRET", "rebuild-test-secret-0123456789abcdef0123456789");
        int site;
        try (JavaProcess server = JavaProcess.start(null, environment, log)) {
            HttpSession owner = new HttpSession(server.port).signIn("owner@example.com", "correct horse battery");
            site = owner.createSite("example.com", "UTC");
            send(server.port, 0, 100);
            owner.awaitStats(site, TODAY, stats -> stats.get("summary").get("pageviews").asLong() == 100);
            JarCommand backup = JarCommand.run(environment, "backup");
            assertEquals(0, backup.exitCode(), backup.err());
            send(server.port, 100, 60);
            owner.awaitStats(site, TODAY, stats -> stats.get("summary").get("pageviews").asLong() == 160);
        }

        Path database = data.resolve("hitkeep.db");
        damage(database);
        String damaged = DurableFiles.sha256(database);
        JarCommand start = JarCommand.run(environment);
        assertEquals(1, start.exitCode(), "a damaged file stops the start: " + start.err());
        String said = start.out() + start.err();
        assertTrue(said.contains("cannot open " + database) && said.contains("rebuild"), "says what is wrong and what to run: " + said);
        assertEquals(damaged, DurableFiles.sha256(database), "and changes nothing");

        JarCommand rebuild = JarCommand.run(environment, "rebuild");
        assertEquals(0, rebuild.exitCode(), rebuild.err());
        try (Stream<Path> files = Files.list(data)) {
            assertEquals(1, files.filter(file -> file.getFileName().toString().startsWith("hitkeep.db.broken-")).count(),
                    "the damaged file is kept aside");
        }
        try (JavaProcess server = JavaProcess.start(null, environment, log)) {
            HttpSession owner = new HttpSession(server.port).signIn("owner@example.com", "correct horse battery");
            JavaProcess.pause(1000);
            assertEquals(160, owner.stats(site, TODAY, TODAY).json().get("summary").get("pageviews").asLong(),
                    "100 from the backup, 60 from the stream, none twice: " + rebuild.err());
        } finally {
            TempFiles.deleteTree(data);
            TempFiles.deleteTree(backups);
        }
    }

    private static void send(int port, int first, int count) {
        HttpSession visitor = new HttpSession(port);
        for (int i = first; i < first + count; i++) {
            assertEquals(202, visitor.pageview(HttpSession.FIREFOX_LINUX, "198.51.100." + (i % 250),
                    Map.of("url", "https://example.com/p" + i)).status());
        }
    }

    /** Random bytes over most of the file after its headers, as a bad disk or a torn copy would leave it. */
    private static void damage(Path file) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            byte[] noise = new byte[(int) Math.min(1 << 20, channel.size() - 8192)];
            new Random(7).nextBytes(noise);
            channel.write(ByteBuffer.wrap(noise), 8192);
        }
    }
}
