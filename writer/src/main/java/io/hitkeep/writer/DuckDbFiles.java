package io.hitkeep.writer;

import org.duckdb.DuckDBConnection;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens a DuckDB file the way every part of HitKeep does: the writer's {@code hitkeep.db} and the reports role's
 * export files alike. The caller gives what differs (memory limit, threads, spill folder); what any of our DuckDB
 * files needs is set here, and the driver's Flight Recorder event is skipped ({@link DuckDbMemoryEvents}).
 */
public final class DuckDbFiles {
    private DuckDbFiles() {
    }

    /** A connection to {@code file}, created if missing; {@code settings} may override the defaults set here. */
    public static DuckDBConnection open(Path file, Properties settings) throws SQLException {
        DuckDbMemoryEvents.skipRegistration();
        Properties properties = new Properties();
        // DuckDB starts 8 threads for asynchronous I/O (remote files, HTTP); HitKeep reads and writes local
        // files only, and each idle thread costs memory
        properties.setProperty("async_threads", "1");
        // No extension may be fetched at run time: the machines are offline, and it would phone home.
        properties.setProperty("autoinstall_known_extensions", "false");
        properties.putAll(settings);
        return (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file, properties);
    }
}
