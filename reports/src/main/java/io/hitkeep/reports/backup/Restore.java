package io.hitkeep.reports.backup;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.HitKeepException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Brings a backup back, on a stopped installation (nothing else may hold {@code hitkeep.db}). {@link #into}
 * fills an empty data folder; {@link #replaceDatabase} (for {@code rebuild}) puts the backup's database in place
 * of a damaged one, which it sets aside, never deletes. Files are copied under a temporary name and renamed when
 * complete, so a restore killed half-way leaves the target as it was. Stateless.
 */
public final class Restore {
    private Restore() {
    }

    /** What was restored: the backup's folder and the stream sequence its database reaches. */
    public record Restored(Path backup, long streamSequence) {}

    /**
     * Restores the backup {@code from} (or the newest one in it) into {@code dataPath}, which must be missing or
     * empty: a restore never mixes two installations' files.
     */
    public static Restored into(Path from, Path dataPath) {
        Path backup = backupIn(from);
        JsonNode manifest = Backups.verify(backup);
        Path target = dataPath.toAbsolutePath().normalize();
        if (!DurableFiles.emptyOrMissing(target)) {
            throw new HitKeepException("the data folder " + target + " is not empty: restore only into an empty or new folder "
                    + "(set HITKEEP_DATA_PATH or --data-path=DIR), so that nothing of another installation is mixed in or overwritten");
        }
        Path staging = target.resolveSibling("." + target.getFileName() + ".restoring");
        DurableFiles.deleteTree(staging);
        try {
            for (JsonNode file : manifest.path("files")) {
                String name = file.get("path").asText();
                DurableFiles.copy(backup.resolve(name), staging.resolve(name));
            }
            DurableFiles.forceTree(staging);
            if (Files.exists(target)) {
                Files.delete(target);
            }
            DurableFiles.publish(staging, target);
        } catch (IOException e) {
            DurableFiles.deleteTree(staging);
            throw new UncheckedIOException("cannot restore into " + target, e);
        } catch (RuntimeException e) {
            DurableFiles.deleteTree(staging);
            throw e;
        }
        return new Restored(backup, manifest.path("stream_sequence").asLong());
    }

    /**
     * Sets {@code hitkeep.db} (and its write-ahead log) aside as {@code .broken-<time>} and puts the backup's
     * database there; the other files (key, marker, archived months) are copied only where missing.
     */
    public static Restored replaceDatabase(Path from, Path dataPath) {
        Path backup = backupIn(from);
        JsonNode manifest = Backups.verify(backup);
        String suffix = ".broken-" + Instant.now().toString().replace(':', '-');
        try {
            Files.createDirectories(dataPath);
            for (String name : List.of(Backups.DATABASE, Backups.DATABASE + ".wal")) {
                Path file = dataPath.resolve(name);
                if (Files.exists(file)) {
                    DurableFiles.publish(file, dataPath.resolve(name + suffix));
                }
            }
            Path staging = dataPath.resolve(Backups.DATABASE + ".restoring");
            DurableFiles.copy(backup.resolve(Backups.DATABASE), staging);
            DurableFiles.force(staging);
            DurableFiles.publish(staging, dataPath.resolve(Backups.DATABASE));
            for (JsonNode file : manifest.path("files")) {
                String name = file.get("path").asText();
                if (!name.equals(Backups.DATABASE) && !Files.exists(dataPath.resolve(name))) {
                    DurableFiles.copy(backup.resolve(name), dataPath.resolve(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put the backup's database into " + dataPath, e);
        }
        return new Restored(backup, manifest.path("stream_sequence").asLong());
    }

    private static Path backupIn(Path from) {
        Path folder = from.toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new HitKeepException(folder + " is not a folder; --from names a backup or a folder of backups");
        }
        return Backups.find(folder).orElseThrow(() -> new HitKeepException("no complete backup in " + folder
                + " (a backup is a folder " + Backups.PREFIX + "<time> with a " + Backups.MANIFEST + ")"));
    }
}
