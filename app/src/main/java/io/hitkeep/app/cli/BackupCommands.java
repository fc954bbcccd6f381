package io.hitkeep.app.cli;

import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Subjects;
import io.hitkeep.reports.backup.BackupJob;
import io.hitkeep.reports.backup.Backups;
import io.hitkeep.reports.backup.DataStoreHandlers;
import io.hitkeep.reports.backup.Restore;
import io.hitkeep.core.StoreOperation;
import io.nats.client.api.StreamState;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code backup}, {@code restore} and {@code rebuild}: the commands around {@link Backups}. Stateless. */
final class BackupCommands {
    private BackupCommands() {
    }

    static final Cli.Command BACKUP = new Cli.Declared("backup", """
                make a consistent backup of a running or stopped installation
                The running server's writer copies hitkeep.db in one transaction (ingest goes on); a stopped one is
                opened here. The backup is a folder hitkeep-backup-<time> in DIR with the database, the JWT key, the
                installation marker, the archived months and a manifest; it appears only once complete.""",
            backupOptions(), BackupCommands::backup);

    static final Cli.Command RESTORE = new Cli.Declared("restore", """
                bring a backup back into an empty data folder
                DIR is a backup or a folder of backups (the newest complete one is taken). Every file is checked
                against the manifest first; the data folder (HITKEEP_DATA_PATH) must be empty or missing.""",
            Map.of("from!", "the backup, or a folder of backups"), BackupCommands::restore);

    static final Cli.Command REBUILD = new Cli.Declared("rebuild", """
                rebuild a lost or damaged hitkeep.db from the newest backup and the hit stream
                HitKeep must be stopped. The current hitkeep.db is set aside as hitkeep.db.broken-<time> (never
                deleted), the newest backup's database takes its place, and a writer started here re-applies every
                hit the stream still holds (HITKEEP_STREAM_MAX_AGE, 7 days by default) after the backup's sequence.""",
            Map.of("from", "a backup or a folder of backups (default: HITKEEP_BACKUP_PATH)"), BackupCommands::rebuild);

    private static Map<String, String> backupOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("to", "folder to make the backup in (default: HITKEEP_BACKUP_PATH)");
        options.put("keep", "keep only the newest N backups in that folder (default: all)");
        return options;
    }

    private static int backup(Cli.Arguments arguments, PrintStream out, PrintStream err) {
        Path target = Path.of(arguments.option("to").or(() -> arguments.settings().value(BackupJob.BACKUP_PATH))
                .orElseThrow(() -> new Cli.UsageException("--to is required (or set HITKEEP_BACKUP_PATH)"))).toAbsolutePath();
        int keep = arguments.option("keep").map(BackupCommands::count).orElse(0);
        try (Installation installation = Installation.reach(arguments.settings())) {
            Backups.Made made = installation.store().call(Backups.CREATE, new Backups.Request(target.toString(), keep), BackupJob.TIMEOUT);
            out.println(made.path());
            err.println("backup of the " + (installation.wasRunning() ? "running" : "stopped") + " installation: "
                    + (made.bytes() >> 10) + " KiB, hits through stream sequence " + made.streamSequence() + ", " + made.millis() + " ms");
        }
        return 0;
    }

    private static int restore(Cli.Arguments arguments, PrintStream out, PrintStream err) {
        Path data = arguments.settings().dataPath();
        Restore.Restored restored = Restore.into(Path.of(arguments.required("from")), data);
        out.println(data);
        err.println("restored " + restored.backup() + " into " + data + " (hits through stream sequence " + restored.streamSequence()
                + "); start HitKeep with HITKEEP_DATA_PATH=" + data);
        return 0;
    }

    private static int rebuild(Cli.Arguments arguments, PrintStream out, PrintStream err) throws InterruptedException {
        Path from = Path.of(arguments.option("from").or(() -> arguments.settings().value(BackupJob.BACKUP_PATH))
                .orElseThrow(() -> new Cli.UsageException("--from is required (or set HITKEEP_BACKUP_PATH)")));
        Optional<Installation> running = Installation.running(arguments.settings());
        if (running.isPresent()) {
            running.get().close();
            throw new HitKeepException("HitKeep is running on this data folder: stop it first, rebuild replaces hitkeep.db");
        }
        Path data = arguments.settings().dataPath();
        Restore.Restored restored = Restore.replaceDatabase(from, data);
        err.println("put the database of " + restored.backup() + " (stream sequence " + restored.streamSequence() + ") into " + data);
        try (Installation installation = Installation.startHere(arguments.settings())) {
            StreamState stream;
            try {
                stream = installation.nats().jetStreamManagement().getStreamInfo(Subjects.HIT_STREAM).getStreamState();
            } catch (Exception e) {
                throw new HitKeepException("cannot read the hit stream: " + e.getMessage(), e);
            }
            if (stream.getMsgCount() > 0 && stream.getFirstSequence() > restored.streamSequence() + 1) {
                err.println("warning: the stream starts at sequence " + stream.getFirstSequence() + ": hits " + (restored.streamSequence() + 1)
                        + " to " + (stream.getFirstSequence() - 1) + " are older than its window and newer than the backup; they cannot be recovered");
            }
            long target = stream.getLastSequence();
            long reached = waitFor(installation, target, Duration.ofMinutes(30));
            out.println(data);
            err.println("rebuilt: the database now holds hits through stream sequence " + reached + " (re-applied "
                    + Math.max(0, reached - restored.streamSequence()) + " stream messages after the backup)");
        }
        return 0;
    }

    /** Waits until the writer started here has written the stream up to {@code target}. */
    private static long waitFor(Installation installation, long target, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            long reached = installation.store().call(DataStoreHandlers.POSITION, StoreOperation.None.NONE).streamSequence();
            if (reached >= target) {
                return reached;
            }
            if (System.nanoTime() > deadline) {
                throw new HitKeepException("the writer reached stream sequence " + reached + " of " + target + " in " + limit
                        + "; start HitKeep to let it go on");
            }
            Thread.sleep(200);
        }
    }

    static int count(String text) {
        try {
            int value = Integer.parseInt(text.strip());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new Cli.UsageException("--keep must be a whole number, 0 or more");
        }
    }
}
