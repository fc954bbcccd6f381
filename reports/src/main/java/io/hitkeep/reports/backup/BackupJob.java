package io.hitkeep.reports.backup;

import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.hitkeep.reports.jobs.Job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The scheduled backup: has the writer make a backup into {@code HITKEEP_BACKUP_PATH} and keep the newest
 * {@code HITKEEP_BACKUP_KEEP} (default 7). Without a backup path it does nothing (and says so). The path is the
 * writer's: in a split deployment, a folder on the writer's machine or volume. The job table runs it nightly
 * while a backup path is set. Thread-safe.
 */
public final class BackupJob implements Job {
    public static final String BACKUP_PATH = "backup-path";
    public static final String BACKUP_KEEP = "backup-keep";
    public static final int DEFAULT_KEEP = 7;
    /** A backup copies the whole database; on a slow disk that takes minutes. */
    public static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final StoreClient store;
    private final Optional<Path> target;
    private final int keep;

    public BackupJob(StoreClient store, Settings settings) {
        this.store = store;
        this.target = settings.value(BACKUP_PATH).map(Path::of);
        this.keep = settings.intValue(BACKUP_KEEP, DEFAULT_KEEP);
        if (keep < 0) {
            throw new HitKeepException("setting " + BACKUP_KEEP + " must be 0 (keep all) or more, not " + keep);
        }
    }

    /** Whether a backup path is set, that is whether there is anything for the job to do. */
    public boolean configured() {
        return target.isPresent();
    }

    @Override
    public String run() {
        return runOnce().map(made -> "backup " + made.path() + ", " + made.bytes() + " bytes in " + made.millis() + " ms")
                .orElse("");
    }

    /** Makes one backup; empty when no backup path is set. */
    public Optional<Backups.Made> runOnce() {
        return target.map(path -> store.call(Backups.CREATE, new Backups.Request(path.toAbsolutePath().toString(), keep), TIMEOUT));
    }
}
