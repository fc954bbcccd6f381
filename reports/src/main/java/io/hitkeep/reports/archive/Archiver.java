package io.hitkeep.reports.archive;

import io.hitkeep.core.HitKeepException;
import io.hitkeep.reports.backup.Backups;
import io.hitkeep.reports.backup.DurableFiles;
import io.hitkeep.writer.ArchivedMonths;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.SqlFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The writer's side of retention: moves one whole month (UTC) of one site's hits, events and engagements into
 * {@code data/archive/site=<id>/month=<yyyy-mm>.parquet} (zstd). In one transaction it writes the file under a
 * temporary name, forces it to disk, reads it back and compares its row count with what it copied, deletes the
 * rows and records the month with the file still pending; only after that commit is the file renamed into place
 * and the pending mark cleared. A kill at any point leaves either the rows (and an orphan temporary file, removed
 * by the next run) or the month recorded with a complete file the stats read, never both and never neither.
 * Rows that arrive later for an archived month are merged into its file the same way. Thread-safe (steps hold
 * {@link Backups#LOCK}).
 */
public final class Archiver {
    private static final Logger LOG = Logger.getLogger(Archiver.class.getName());

    /** The points between steps, for tests that stop the job there as a kill would. */
    public enum Step { FILE_WRITTEN, VERIFIED, COMMITTED, RENAMED }

    private enum Query implements SqlFile.Named {
        SITES_WITH_RETENTION, MONTHS_BEFORE, ARCHIVED_MONTH, PENDING_MONTHS, RECORD_MONTH, CLEAR_PENDING;

        @Override
        public String file() {
            return "sql/archive.sql";
        }
    }

    /** One site's month that retention says goes to the archive. */
    public record Due(int siteId, String month) {}

    /** What one month's step did: rows moved out of the tables, and how many the file holds now. */
    public record Archived(int siteId, String month, long rowsMoved, long rowsInFile) {}

    private final Database database;
    private final Path dataPath;

    public Archiver(Database database) {
        this.database = database;
        this.dataPath = database.file().getParent();
    }

    /** Every site's months with rows older than its retention allows, as of {@code today} (UTC). */
    public List<Due> due(LocalDate today) {
        return database.read(sql -> {
            List<Due> due = new ArrayList<>();
            for (int[] site : sql.list(Query.SITES_WITH_RETENTION, row -> new int[] {row.getInt(1), row.getInt(2)})) {
                LocalDate before = YearMonth.from(today.minusDays(site[1])).atDay(1);
                for (String month : sql.list(Query.MONTHS_BEFORE, row -> row.getString(1), "site_id", site[0],
                        "before", before.atStartOfDay())) {
                    due.add(new Due(site[0], month));
                }
            }
            return due;
        });
    }

    /** Archives one month (see the class comment); a month without rows in the tables is left as it is. */
    public Archived archive(int siteId, String month) {
        return archive(siteId, month, step -> { });
    }

    /** As {@link #archive(int, String)}, telling {@code afterStep} each point reached (tests stop there). */
    public Archived archive(int siteId, String month, Consumer<Step> afterStep) {
        YearMonth yearMonth = YearMonth.parse(month);
        Backups.LOCK.lock();
        try {
            finishPending();
            removeOrphans(siteId);
            String file = ArchivedMonths.relativeFile(siteId, yearMonth);
            String temporary = file + "." + Long.toHexString(System.nanoTime()) + ".tmp";
            Path temporaryPath = dataPath.resolve(temporary);
            Files.createDirectories(temporaryPath.getParent());
            Archived archived = moveRows(siteId, yearMonth, file, temporary, afterStep);
            if (archived.rowsMoved() == 0) {
                return archived;
            }
            afterStep.accept(Step.COMMITTED);
            DurableFiles.publish(temporaryPath, dataPath.resolve(file));
            afterStep.accept(Step.RENAMED);
            database.write("finish archived month", sql -> sql.update(Query.CLEAR_PENDING, "site_id", siteId, "month", month));
            LOG.info(() -> "archived " + archived.rowsMoved() + " rows of site " + siteId + " for " + month + " to " + file
                    + " (" + archived.rowsInFile() + " rows in the file)");
            return archived;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot archive site " + siteId + " " + month, e);
        } finally {
            Backups.LOCK.unlock();
        }
    }

    /** The transaction: file, check, delete, record. Rolled back (and the temporary file removed) on any failure. */
    private Archived moveRows(int siteId, YearMonth month, String file, String temporary, Consumer<Step> afterStep) {
        Path temporaryPath = dataPath.resolve(temporary);
        String start = month.atDay(1).atStartOfDay().toString();
        String end = month.plusMonths(1).atDay(1).atStartOfDay().toString();
        String range = " WHERE site_id = " + siteId + " AND timestamp >= TIMESTAMP '" + start + "' AND timestamp < TIMESTAMP '" + end + "'";
        try {
            return database.write("archive site " + siteId + " " + month, sql -> {
                Connection connection = sql.connection();
                long inTables = 0;
                for (String table : ArchivedMonths.TABLES) {
                    inTables += count(connection, "SELECT count(*) FROM " + table + range);
                }
                if (inTables == 0) {
                    return new Archived(siteId, month.toString(), 0, 0);
                }
                long before = sql.first(Query.ARCHIVED_MONTH, row -> row.getLong(3), "site_id", siteId, "month", month.toString()).orElse(0L);
                List<String> parts = new ArrayList<>();
                for (String table : ArchivedMonths.TABLES) {
                    parts.add("SELECT '" + table + "' AS " + ArchivedMonths.KIND + ", * FROM " + table + range);
                }
                if (before > 0) {
                    // late rows for a month archived before: the new file holds the old file's rows and theirs
                    Path current = sql.first(Query.ARCHIVED_MONTH, row -> ArchivedMonths.readable(dataPath, row.getString(1), row.getString(2)),
                            "site_id", siteId, "month", month.toString()).orElseThrow();
                    parts.add("SELECT * FROM " + ArchivedMonths.readParquet(List.of(current.toString())));
                }
                try (Statement statement = connection.createStatement()) {
                    // in time order, so that a query of part of the month skips row groups by their min and max
                    statement.execute("COPY (SELECT * FROM (" + String.join(" UNION ALL BY NAME ", parts) + ") ORDER BY timestamp) TO "
                            + ArchivedMonths.literal(temporaryPath.toString()) + " (FORMAT parquet, COMPRESSION zstd)");
                }
                DurableFiles.force(temporaryPath);
                afterStep.accept(Step.FILE_WRITTEN);
                long inFile = count(connection, "SELECT count(*) FROM " + ArchivedMonths.readParquet(List.of(temporaryPath.toString())));
                if (inFile != inTables + before) {
                    throw new HitKeepException("the archive file of site " + siteId + " " + month + " has " + inFile
                            + " rows, not the " + (inTables + before) + " written; nothing was deleted");
                }
                afterStep.accept(Step.VERIFIED);
                long deleted = 0;
                try (Statement statement = connection.createStatement()) {
                    for (String table : ArchivedMonths.TABLES) {
                        deleted += statement.executeUpdate("DELETE FROM " + table + range);
                    }
                }
                if (deleted != inTables) {
                    throw new HitKeepException("deleting site " + siteId + " " + month + " touched " + deleted + " rows, not the "
                            + inTables + " archived; rolled back");
                }
                sql.update(Query.RECORD_MONTH, "site_id", siteId, "month", month.toString(), "file", file,
                        "pending_file", temporary, "rows", inFile);
                return new Archived(siteId, month.toString(), inTables, inFile);
            });
        } catch (RuntimeException e) {
            try {
                Files.deleteIfExists(temporaryPath);
            } catch (IOException ignored) {
                // an orphan: the next run removes it
            }
            throw e;
        }
    }

    /** Months whose transaction committed but whose file was not renamed yet (a kill): rename, then clear the mark. */
    private void finishPending() throws IOException {
        List<String[]> pending = database.read(sql -> sql.list(Query.PENDING_MONTHS, row -> new String[] {
                row.getString(1), row.getString(2), row.getString(3), row.getString(4)}));
        for (String[] month : pending) {
            Path pendingFile = dataPath.resolve(month[3]);
            if (Files.exists(pendingFile)) {
                DurableFiles.publish(pendingFile, dataPath.resolve(month[2]));
            }
            database.write("finish archived month", sql -> sql.update(Query.CLEAR_PENDING, "site_id", Integer.parseInt(month[0]),
                    "month", month[1]));
        }
    }

    /** Temporary files of runs that died before their commit: nothing refers to them. */
    private void removeOrphans(int siteId) throws IOException {
        Path directory = ArchivedMonths.siteDirectory(dataPath, siteId);
        if (!Files.isDirectory(directory)) {
            return;
        }
        Set<String> referenced = new HashSet<>(database.read(sql -> sql.list(Query.PENDING_MONTHS, row -> row.getString(4))));
        try (var files = Files.list(directory)) {
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".tmp")).toList()) {
                if (!referenced.contains(dataPath.relativize(file).toString())) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static long count(Connection connection, String query) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query); ResultSet row = statement.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
