package io.hitkeep.reports.jobs;

import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.hitkeep.reports.TestHits;
import io.hitkeep.reports.backup.Backups;
import io.hitkeep.reports.backup.BackupJob;
import io.hitkeep.testing.NatsBroker;
import io.hitkeep.testing.TempFiles;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.HitWriter;
import io.hitkeep.writer.Writer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job table's data jobs, run as the scheduler runs them (through {@link Job#run}) against a real writer on a
 * real nats-server and DuckDB file: retention archives what is due once, the backup lands in the backup path, and
 * the backup row is there only while a backup path is set.
 */
class JobTableTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    private static ScheduledJob job(List<ScheduledJob> jobs, String name) {
        return jobs.stream().filter(job -> job.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void retentionAndBackupRunFromTheTableAgainstTheWriter() throws Exception {
        Path data = TempFiles.directory("hk-jobs-data-");
        Path backups = TempFiles.directory("hk-jobs-backups-");
        try {
            try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())))) {
                TestHits.execute(database, "INSERT INTO sites (id, owner_id, domain, name, timezone, retention_days) "
                        + "VALUES (1, 1, 'example.com', 'e', 'UTC', 40)");
                // January and February 2026: both far older than 40 days whenever this runs
                HitWriter.store(database, TestHits.days(1, "2026-01-01", 59, 3));
            }
            Settings settings = Settings.of(Map.of(Settings.DATA_PATH, data.toString(), BackupJob.BACKUP_PATH, backups.toString()));
            try (Writer writer = Writer.start(settings, broker.connection())) {
                List<ScheduledJob> jobs = Reports.jobs(settings, new StoreClient(broker.connection()), Optional.empty());
                assertEquals(List.of(Reports.RETENTION, Reports.BACKUP), jobs.stream().map(ScheduledJob::name).toList(),
                        "without SMTP only the data jobs, retention before the backup");

                String archived = job(jobs, Reports.RETENTION).job().run();
                assertTrue(archived.startsWith("archived 2 months"), archived);
                assertEquals("", job(jobs, Reports.RETENTION).job().run(), "a month archived is not archived again");

                String backedUp = job(jobs, Reports.BACKUP).job().run();
                assertTrue(backedUp.startsWith("backup " + backups), backedUp);
                assertEquals(1, Backups.complete(backups).size(), "one complete backup in the backup path");
            }

            Settings withoutBackupPath = Settings.of(Map.of(Settings.DATA_PATH, data.toString()));
            assertEquals(List.of(Reports.RETENTION), Reports.jobs(withoutBackupPath, new StoreClient(broker.connection()),
                    Optional.empty()).stream().map(ScheduledJob::name).toList(), "no backup row without a backup path");
        } finally {
            TempFiles.deleteTree(data);
            TempFiles.deleteTree(backups);
        }
    }
}
