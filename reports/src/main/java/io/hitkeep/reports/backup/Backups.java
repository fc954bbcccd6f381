package io.hitkeep.reports.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Json;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.core.Subjects;
import io.hitkeep.writer.ArchivedMonths;
import io.hitkeep.writer.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Backups of an installation, made by the writer (the one process that holds {@code hitkeep.db}) while it runs:
 * DuckDB copies the database into a new file in one transaction ({@code ATTACH} plus {@code COPY FROM DATABASE}),
 * so the copy is a consistent snapshot, hit rows and the stream sequence they reach alike, and ingest goes on
 * meanwhile. Beside it go the JWT key, the installation marker and the archived months' Parquet files, then a
 * {@code manifest.json} with every file's size and SHA-256. All of it is written into a {@code .partial-} folder
 * that is renamed to {@code hitkeep-backup-<time>} only when complete and on disk: a backup killed half-way
 * leaves no folder that looks like a backup. Thread-safe: one backup or archive step at a time ({@link #LOCK}).
 */
public final class Backups {
    private static final Logger LOG = Logger.getLogger(Backups.class.getName());
    public static final StoreOperation<Request, Made> CREATE = StoreOperation.of("backups.create", Request.class, Made.class);
    public static final String PREFIX = "hitkeep-backup-";
    public static final String PARTIAL = ".partial-";
    public static final String MANIFEST = "manifest.json";
    public static final String DATABASE = "hitkeep.db";
    /** Files beside {@code hitkeep.db} that an installation needs back: the session key and the "was set up" marker. */
    public static final List<String> BESIDE_DATABASE = List.of("jwt-secret", "installation-claimed");
    /** Backups and archive steps move files under the data path: never two at once in the writer. */
    public static final ReentrantLock LOCK = new ReentrantLock();
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * @param target the folder to make the backup in (created if missing)
     * @param keep   how many complete backups to keep in {@code target} (the oldest go first); 0 keeps all
     */
    public record Request(String target, int keep) {}

    /** The new backup's folder, the stream sequence its hits reach, its size and how long it took. */
    public record Made(String path, long streamSequence, long bytes, long millis) {}

    /** How long a backup waits for the writer to commit what the stream held when the backup was asked for. */
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final Database database;
    private final LongSupplier streamEnd;

    /**
     * @param streamEnd the hit stream's last sequence now: a backup first waits until the database holds every
     *                  hit up to it, so each hit acknowledged (202) before the backup began is in the backup
     */
    public Backups(Database database, LongSupplier streamEnd) {
        this.database = database;
        this.streamEnd = streamEnd;
    }

    /** Makes a backup in {@code target}; a target that cannot be written is refused before anything is made. */
    public Made create(Path target, int keep) {
        long started = System.nanoTime();
        Path root = target.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw DomainError.invalid("backup target " + root + " cannot be created: " + e.getMessage());
        }
        if (!Files.isDirectory(root) || !Files.isWritable(root)) {
            throw DomainError.invalid("backup target " + root + " is not a writable folder");
        }
        awaitWriter(streamEnd.getAsLong());
        LOCK.lock();
        try {
            removeLeftovers(root);
            String name = PREFIX + NAME.format(Instant.now());
            Path partial = root.resolve(PARTIAL + name);
            try {
                createDirectory(partial);
                long sequence = copyDatabase(partial.resolve(DATABASE));
                Path data = database.file().getParent();
                for (String file : BESIDE_DATABASE) {
                    if (Files.isRegularFile(data.resolve(file))) {
                        DurableFiles.copy(data.resolve(file), partial.resolve(file));
                    }
                }
                copyArchive(partial);
                long bytes = writeManifest(partial, sequence);
                DurableFiles.forceTree(partial);
                Path complete = root.resolve(name);
                DurableFiles.publish(partial, complete);
                prune(root, keep);
                long millis = (System.nanoTime() - started) / 1_000_000;
                LOG.info(() -> "backup " + complete + ": " + (bytes >> 10) + " KiB through stream sequence " + sequence + " in " + millis + " ms");
                return new Made(complete.toString(), sequence, bytes, millis);
            } catch (RuntimeException e) {
                DurableFiles.deleteTree(partial);
                if (e instanceof UncheckedIOException io && io.getCause() != null) {
                    throw DomainError.invalid("backup into " + root + " failed: " + io.getMessage() + " (" + io.getCause().getMessage() + ")");
                }
                throw e;
            }
        } finally {
            LOCK.unlock();
        }
    }

    /** Waits until the hit writer has committed the stream up to {@code sequence}; an idle writer is there at once. */
    private void awaitWriter(long sequence) {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (storedSequence(database) < sequence) {
            if (System.nanoTime() > deadline) {
                throw DomainError.unavailable("the writer has not written the hit stream up to sequence " + sequence + " within "
                        + CATCH_UP.toSeconds() + " s; the backup was not made");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DomainError.unavailable("interrupted");
            }
        }
    }

    /** The last stream sequence whose hits the database holds. */
    public static long storedSequence(Database database) {
        return database.read(sql -> {
            try (var statement = sql.connection().prepareStatement("SELECT last_sequence FROM ingest_progress WHERE stream = ?")) {
                statement.setString(1, Subjects.HIT_STREAM);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? row.getLong(1) : 0L;
                }
            }
        });
    }

    /**
     * The database into a new file in one transaction: a snapshot that ingest does not wait for. The copy's
     * stream sequence is read back from the copy itself, so the manifest says what the file holds.
     */
    private long copyDatabase(Path file) {
        String alias = "hk_backup_" + Long.toHexString(System.nanoTime());
        try (var connection = database.connection(); Statement statement = connection.createStatement()) {
            String source;
            try (ResultSet row = statement.executeQuery("SELECT current_database()")) {
                row.next();
                source = row.getString(1);
            }
            statement.execute("ATTACH " + ArchivedMonths.literal(file.toString()) + " AS " + alias);
            try {
                // one explicit transaction: in autocommit mode DuckDB copies table by table, each in a transaction of
                // its own, so hits and events written meanwhile could be in one table's copy and not the other's
                connection.setAutoCommit(false);
                long sequence;
                try {
                    statement.execute("COPY FROM DATABASE \"" + source + "\" TO " + alias);
                    try (ResultSet row = statement.executeQuery("SELECT coalesce(max(last_sequence), 0) FROM " + alias + ".ingest_progress")) {
                        row.next();
                        sequence = row.getLong(1);
                    }
                    connection.commit();
                } catch (SQLException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
                return sequence;
            } finally {
                statement.execute("DETACH " + alias);
            }
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("cannot copy hitkeep.db: " + e.getMessage(), e));
        }
    }

    /** The archived months' files, each under its own relative name; a pending merge's file is the one copied. */
    private void copyArchive(Path backup) {
        Path data = database.file().getParent();
        List<String[]> months = database.read(sql -> {
            List<String[]> files = new ArrayList<>();
            try (var statement = sql.connection().prepareStatement("SELECT file, pending_file FROM archived_months");
                 ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    files.add(new String[] {rows.getString(1), rows.getString(2)});
                }
            }
            return files;
        });
        for (String[] month : months) {
            Path source = ArchivedMonths.readable(data, month[0], month[1]);
            if (!Files.isRegularFile(source)) {
                throw new HitKeepException("archived file " + source + " is missing; the backup would not be complete");
            }
            DurableFiles.copy(source, backup.resolve(month[0]));
        }
    }

    private static long writeManifest(Path backup, long sequence) {
        ObjectNode manifest = Json.object().put("format", 1).put("created_at", Instant.now().toString())
                .put("stream_sequence", sequence);
        ArrayNode files = manifest.putArray("files");
        long bytes = 0;
        for (Path path : DurableFiles.walk(backup)) {
            if (Files.isRegularFile(path)) {
                long size = size(path);
                bytes += size;
                files.addObject().put("path", backup.relativize(path).toString()).put("bytes", size).put("sha256", DurableFiles.sha256(path));
            }
        }
        try {
            Files.write(backup.resolve(MANIFEST), Json.bytes(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest", e);
        }
        return bytes;
    }

    /** Half-made backups of a process that died: never complete, never to be restored. */
    private static void removeLeftovers(Path root) {
        for (Path path : children(root)) {
            if (path.getFileName().toString().startsWith(PARTIAL)) {
                LOG.warning(() -> "removing " + path + ", a backup that was not finished");
                DurableFiles.deleteTree(path);
            }
        }
    }

    private static void prune(Path root, int keep) {
        if (keep <= 0) {
            return;
        }
        List<Path> backups = complete(root);
        for (Path old : backups.subList(0, Math.max(0, backups.size() - keep))) {
            LOG.info(() -> "removing backup " + old + " (keeping the newest " + keep + ")");
            DurableFiles.deleteTree(old);
        }
    }

    /** The complete backups in {@code root}, oldest first (their names sort by time). */
    public static List<Path> complete(Path root) {
        return children(root).stream()
                .filter(path -> path.getFileName().toString().startsWith(PREFIX) && Files.isRegularFile(path.resolve(MANIFEST)))
                .sorted(Comparator.comparing(path -> path.getFileName().toString()))
                .toList();
    }

    /** {@code from} itself when it is a backup, else the newest complete backup in it. */
    public static Optional<Path> find(Path from) {
        if (Files.isRegularFile(from.resolve(MANIFEST))) {
            return Optional.of(from);
        }
        List<Path> backups = complete(from);
        return backups.isEmpty() ? Optional.empty() : Optional.of(backups.getLast());
    }

    /** Checks every file of a backup against its manifest; answers the manifest, or says what does not match. */
    public static JsonNode verify(Path backup) {
        JsonNode manifest;
        try {
            manifest = Json.tree(Files.readAllBytes(backup.resolve(MANIFEST)));
        } catch (IOException e) {
            throw new HitKeepException(backup + " is not a complete backup: " + MANIFEST + " cannot be read (" + e.getMessage() + ")");
        }
        for (JsonNode file : manifest.path("files")) {
            Path path = backup.resolve(file.get("path").asText()).normalize();
            if (!path.startsWith(backup) || !Files.isRegularFile(path) || size(path) != file.get("bytes").asLong()
                    || !DurableFiles.sha256(path).equals(file.get("sha256").asText())) {
                throw new HitKeepException("backup " + backup + " is damaged: " + file.get("path").asText() + " does not match its manifest");
            }
        }
        return manifest;
    }

    private static void createDirectory(Path path) {
        try {
            Files.createDirectory(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + path, e);
        }
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> children(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }
}
