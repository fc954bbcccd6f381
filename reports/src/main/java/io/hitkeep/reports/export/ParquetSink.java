package io.hitkeep.reports.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.reports.backup.DurableFiles;
import io.hitkeep.writer.ArchivedMonths;
import io.hitkeep.writer.DuckDbFiles;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Parquet for an export, written by a DuckDB of its own in a temporary folder (not {@code hitkeep.db}): pages are
 * appended to a table on disk, and at the end DuckDB writes the Parquet file (zstd), which is then streamed out and
 * deleted. Memory stays bounded (DuckDB's limit here is 64 MB and it spills to its folder); the disk holds the
 * export about twice while it is made. Not thread-safe.
 */
final class ParquetSink implements ExportFormat.RowSink {
    private static final Set<String> NUMBERS = Set.of("viewport_width", "visitor_id", "session_id");

    private final OutputStream out;
    private final Path folder;
    private final DuckDBConnection connection;
    private final DuckDBAppender appender;

    ParquetSink(OutputStream out) throws IOException {
        this.out = out;
        this.folder = Files.createTempDirectory("hitkeep-export-");
        try {
            Properties properties = new Properties();
            properties.setProperty("memory_limit", "64MB");
            properties.setProperty("threads", "1");
            properties.setProperty("temp_directory", folder.resolve("spill").toString());
            this.connection = DuckDbFiles.open(folder.resolve("export.db"), properties);
            StringBuilder table = new StringBuilder("CREATE TABLE export (");
            List<String> columns = ExportPages.COLUMNS;
            for (int i = 0; i < columns.size(); i++) {
                table.append(i == 0 ? "" : ", ").append('"').append(columns.get(i)).append("\" ")
                        .append(NUMBERS.contains(columns.get(i)) ? "BIGINT" : "VARCHAR");
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute(table.append(")").toString());
            }
            this.appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "export");
        } catch (SQLException e) {
            DurableFiles.deleteTree(folder);
            throw new IOException("cannot prepare the Parquet export: " + e.getMessage(), e);
        }
    }

    @Override
    public void rows(JsonNode rows) throws IOException {
        try {
            for (JsonNode row : rows) {
                appender.beginRow();
                for (int i = 0; i < row.size(); i++) {
                    if (NUMBERS.contains(ExportPages.COLUMNS.get(i))) {
                        appender.append(row.get(i).asLong());
                    } else {
                        appender.append(row.get(i).asText());
                    }
                }
                appender.endRow();
            }
        } catch (SQLException e) {
            throw new IOException("cannot write the Parquet export: " + e.getMessage(), e);
        }
    }

    @Override
    public void finish() throws IOException {
        Path file = folder.resolve("export.parquet");
        try {
            appender.close();
            StringBuilder select = new StringBuilder("SELECT ");
            for (String column : ExportPages.COLUMNS) {
                select.append(column.equals("kind") ? "" : ", ").append(column.equals("timestamp")
                        ? "CAST(replace(replace(\"timestamp\", 'T', ' '), 'Z', '') AS TIMESTAMP) AS \"timestamp\""
                        : column.equals("viewport_width") ? "CAST(viewport_width AS INTEGER) AS viewport_width" : '"' + column + '"');
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("COPY (" + select + " FROM export) TO " + ArchivedMonths.literal(file.toString())
                        + " (FORMAT parquet, COMPRESSION zstd)");
            }
        } catch (SQLException e) {
            throw new IOException("cannot write the Parquet export: " + e.getMessage(), e);
        }
        Files.copy(file, out);
        out.flush();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the folder goes anyway
        }
        DurableFiles.deleteTree(folder);
    }
}
