package io.hitkeep.writer;

import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps DuckDB's JDBC driver from registering its memory event with Java Flight Recorder. When its driver class
 * loads, duckdb_jdbc 2.0 registers a periodic JFR event wherever the {@code jdk.jfr} module is present, which is
 * every JDK. That alone sets up JFR's event metadata in the process (about 2 MiB resident in the server at rest,
 * BENCHMARKS.md, nineteenth session), for an event that is seen only in a recording someone starts with
 * {@code jcmd}. The driver has no setting for it; it skips the registration when its monitor says it has
 * registered already, so that flag is set, by reflection, before the driver first loads ({@link DuckDbFiles}). A
 * driver without the flag (another version) is left as it is; a recording still works, without DuckDB's event.
 */
final class DuckDbMemoryEvents {
    private static final Logger LOG = Logger.getLogger(DuckDbMemoryEvents.class.getName());
    private static final String MONITOR = "org.duckdb.DuckDBMemoryMonitor";

    private DuckDbMemoryEvents() {
    }

    /**
     * Call before the DuckDB driver's class loads (the first {@code DriverManager} call does that); later, it is too
     * late. Calling it again does no harm.
     */
    static void skipRegistration() {
        try {
            Class<?> monitor = Class.forName(MONITOR, true, DuckDbMemoryEvents.class.getClassLoader());
            Field initialized = monitor.getDeclaredField("initialized");
            initialized.setAccessible(true);
            initialized.setBoolean(null, true);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(Level.FINE, "DuckDB's JFR memory event is registered as the driver does", e);
        }
    }
}
