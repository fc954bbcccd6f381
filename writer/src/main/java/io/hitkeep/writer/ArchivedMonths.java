package io.hitkeep.writer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a site's archived months live and how a query reads them: each whole month (UTC) that retention moved
 * out of the tables is one Parquet file, {@code data/archive/site=<id>/month=<yyyy-mm>.parquet}, holding that
 * month's hits, events and engagements, told apart by a {@code kind} column (the table's name). The table
 * {@code archived_months} (migration 011) lists them; it is written in the transaction that deletes the rows,
 * so a month is read from the tables or from its file, never from both. The job that writes them is the reports
 * module's {@code RetentionArchive}. Stateless; thread-safe.
 */
public final class ArchivedMonths {
    /** The column that says which table a row of an archive file belongs to. */
    public static final String KIND = "kind";
    /** The tables whose rows a month's file holds. */
    public static final List<String> TABLES = List.of("hits", "events", "engagements");

    private ArchivedMonths() {
    }

    /** {@code data/archive/site=<id>}: the folder of one site's files. */
    public static Path siteDirectory(Path dataPath, int siteId) {
        return dataPath.resolve("archive").resolve("site=" + siteId);
    }

    /** The file name of a month, relative to the data directory: {@code archive/site=1/month=2025-01.parquet}. */
    public static String relativeFile(int siteId, YearMonth month) {
        return "archive/site=" + siteId + "/month=" + month + ".parquet";
    }

    /**
     * What a query of one site's rows between {@code start} and {@code end} (UTC) reads for each table: the
     * table's name when no archived month overlaps the range (the usual case; one small lookup), else the table
     * together with the overlapping months' files, with exactly the table's columns.
     */
    public static Sources sources(Sql sql, Path dataPath, int siteId, LocalDateTime start, LocalDateTime end) throws SQLException {
        List<String> files = new ArrayList<>();
        try (PreparedStatement statement = sql.connection().prepareStatement(
                "SELECT month, file, pending_file FROM archived_months WHERE site_id = ? ORDER BY month")) {
            statement.setInt(1, siteId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    YearMonth month = YearMonth.parse(rows.getString(1));
                    if (month.atDay(1).atStartOfDay().isBefore(end) && month.plusMonths(1).atDay(1).atStartOfDay().isAfter(start)) {
                        files.add(readable(dataPath, rows.getString(2), rows.getString(3)).toString());
                    }
                }
            }
        }
        return new Sources(sql, files);
    }

    /** The file that holds a month now: a pending merge's file while it exists, else the month's file. */
    public static Path readable(Path dataPath, String file, String pendingFile) {
        if (pendingFile != null && Files.exists(dataPath.resolve(pendingFile))) {
            return dataPath.resolve(pendingFile);
        }
        return dataPath.resolve(file);
    }

    /** The FROM expressions of one query: {@link #of(String)} per table. */
    public static final class Sources {
        private final Sql sql;
        private final List<String> files;

        private Sources(Sql sql, List<String> files) {
            this.sql = sql;
            this.files = files;
        }

        public boolean archived() {
            return !files.isEmpty();
        }

        /** {@code table}, or a subquery of the table and its archived rows with the table's columns. */
        public String of(String table) throws SQLException {
            if (files.isEmpty()) {
                return table;
            }
            String columns = String.join(", ", columns(sql, table).stream().map(column -> '"' + column + '"').toList());
            return "(SELECT " + columns + " FROM (SELECT * FROM " + table + " UNION ALL BY NAME SELECT * EXCLUDE (" + KIND
                    + ") FROM " + readParquet(files) + " WHERE " + KIND + " = '" + table + "'))";
        }
    }

    /** {@code read_parquet([...])} of the files; columns a file lacks (written before a migration) are NULL. */
    public static String readParquet(List<String> files) {
        return "read_parquet([" + String.join(", ", files.stream().map(ArchivedMonths::literal).toList()) + "], union_by_name = true)";
    }

    /** A path as an SQL string literal. */
    public static String literal(String path) {
        return "'" + path.replace("'", "''") + "'";
    }

    /** The table's columns in their order. */
    public static List<String> columns(Sql sql, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement statement = sql.connection().prepareStatement(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ? ORDER BY column_index")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
            }
        }
        return columns;
    }
}
