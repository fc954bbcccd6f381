package io.hitkeep.writer;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Settings;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Logger;

/**
 * The one DuckDB file, {@code hitkeep.db}: opened once, migrated, then handed out as connections: one
 * for the hit batcher, one for every other write ({@link #write}, one transaction at a time), a small pool
 * for reads ({@link #read}; DuckDB runs them concurrently within one process; each keeps its prepared statements,
 * {@link StatementCache}). The store handlers of every
 * domain reach the file only through it. Thread-safe.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Database.class.getName());
    private static final String MIGRATIONS = "migrations/";
    private static final int READERS = 4;

    /**
     * DuckDB's memory limit for a moment while {@link #releaseCache()} evicts: room for the writer's batches and a
     * dashboard's questions at rest, far below what a bulk job leaves cached.
     */
    private static final String CACHE_RELEASE_LIMIT = "64MB";

    private final Path file;
    private final String memoryLimit;
    private final DuckDBConnection root;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private Connection writes;

    private Database(Path file, String memoryLimit, DuckDBConnection root) {
        this.file = file;
        this.memoryLimit = memoryLimit;
        this.root = root;
    }

    /**
     * Opens (creating if needed) {@code data-path/hitkeep.db}. DuckDB's memory limit and threads are set
     * deliberately ({@code duckdb-memory-limit}, default {@link #defaultMemoryLimit}; {@code duckdb-threads},
     * default 2) rather than left at DuckDB's defaults, which size themselves to the whole machine.
     */
    public static Database open(Settings settings) {
        Path data = settings.dataPath();
        try {
            Files.createDirectories(data);
            Path file = data.resolve("hitkeep.db");
            Properties properties = new Properties();
            String memoryLimit = settings.value("duckdb-memory-limit", defaultMemoryLimit(machineMemory()));
            properties.setProperty("memory_limit", memoryLimit);
            properties.setProperty("threads", Integer.toString(settings.intValue("duckdb-threads", 2)));
            // the built-in extensions (ICU for time zones, JSON, Parquet) load when a statement needs one
            properties.setProperty("autoload_known_extensions", "true");
            DuckDBConnection root = DuckDbFiles.open(file, properties);
            NativeLibraryFile.removeUnpackedCopy();
            Database database = new Database(file, memoryLimit, root);
            database.migrate();
            for (int i = 0; i < READERS; i++) {
                // reads prepare the same statements over and over, and DuckDB's prepare costs about a small run
                database.readers.add(StatementCache.keeping(database.connection()));
            }
            database.writes = database.connection();
            return database;
        } catch (SQLException | IOException e) {
            throw new HitKeepException(cannotOpen(data.resolve("hitkeep.db"), e.getMessage()), e);
        }
    }

    /**
     * What to say when the file does not open: held by another process is one thing; anything else (a damaged
     * or foreign file) gets what to run, since the writer never deletes or replaces the file by itself.
     */
    static String cannotOpen(Path file, String reason) {
        String message = "cannot open " + file + ": " + reason;
        if (reason != null && (reason.contains("Could not set lock") || reason.contains("Conflicting lock"))) {
            return message;
        }
        return message + ". Nothing was changed or deleted. If the file is damaged, stop HitKeep and run "
                + "'java -jar hitkeep.jar rebuild' (it sets this file aside as hitkeep.db.broken-<time>, restores the newest "
                + "backup from HITKEEP_BACKUP_PATH or --from=DIR, and re-applies the hits the stream still holds)";
    }

    public Path file() {
        return file;
    }

    /** A new connection to the same database, with UTC as its time zone. The caller closes it. */
    public DuckDBConnection connection() throws SQLException {
        DuckDBConnection connection = root.duplicate();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
        }
        return connection;
    }

    /**
     * Runs {@code work} in one transaction on the write connection, handed to it as an {@link Sql}, after any
     * other write; commits, or rolls back on any exception (a {@link io.hitkeep.core.DomainError} passes
     * through, anything else says what could not be done).
     */
    public <T> T write(String what, SqlFunction<Sql, T> work) {
        return inTransaction(writes, what, work);
    }

    /** {@link #write} on a connection of the caller's own (tests, tools). */
    public static <T> T inTransaction(Connection writes, String what, SqlFunction<Sql, T> work) {
        synchronized (writes) {
            try {
                writes.setAutoCommit(false);
                T result = work.apply(new Sql(writes));
                writes.commit();
                return result;
            } catch (SQLException e) {
                rollbackQuietly(writes);
                throw new HitKeepException("cannot " + what + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                rollbackQuietly(writes);
                throw e;
            } finally {
                try {
                    writes.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // next use sets it again
                }
            }
        }
    }

    private static void rollbackQuietly(Connection writes) {
        try {
            writes.rollback();
        } catch (SQLException ignored) {
            // the transaction is gone either way
        }
    }

    /**
     * DuckDB's memory limit when none is set: an eighth of the memory this process may use (the container's limit
     * in a container), at least 128MB and at most 384MB. Raw reads over a long range need room beside the table's
     * cached blocks: a filtered year of ten million hits took 1.8 s at 128MB and 0.6 s at 384MB (BENCHMARKS.md),
     * and a 512 MB container still has room for the JVM's heap at 128MB. DuckDB takes the memory only as queries
     * need it, so an idle server is no bigger for it.
     */
    static String defaultMemoryLimit(long machineBytes) {
        long mib = machineBytes / 8 / (1024 * 1024);
        return Math.clamp(mib, 128, 384) + "MB";
    }

    /** The memory this process may use: the machine's, or its container's limit; 0 when the JVM cannot tell. */
    static long machineMemory() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean system ? system.getTotalMemorySize() : 0;
    }

    /**
     * A read that failed. Out of DuckDB's memory ({@code duckdb-memory-limit}) is a moment's shortage, not a fault of
     * the request: a heavy answer while the rollups catch up, or several at once. The caller gets a 503 to try again
     * (never a 500), and the log says which setting to raise if it keeps happening.
     */
    static RuntimeException readFailure(SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Out of Memory Error")) {
            LOG.warning(() -> "a read ran out of DuckDB's memory (duckdb-memory-limit; answered 503): "
                    + message.lines().findFirst().orElse(message));
            return DomainError.unavailable("the database is short of memory for this answer just now; try again shortly");
        }
        return new HitKeepException("query failed: " + message, e);
    }

    /** Runs a read on a pooled connection, handed to the work as an {@link Sql}; waits while all are busy. */
    public <T> T read(SqlFunction<Sql, T> work) {
        Connection connection;
        try {
            connection = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HitKeepException("interrupted while waiting for a database connection", e);
        }
        try {
            return work.apply(new Sql(connection));
        } catch (SQLException e) {
            throw readFailure(e);
        } finally {
            readers.add(connection);
        }
    }

    /** A function that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface SqlFunction<I, O> {
        O apply(I input) throws SQLException;
    }

    private void migrate() throws SQLException {
        try (Statement statement = root.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version VARCHAR PRIMARY KEY, "
                    + "applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)");
        }
        for (String name : resource(MIGRATIONS + "index.txt").lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList()) {
            boolean applied;
            try (var check = root.prepareStatement("SELECT count(*) FROM schema_migrations WHERE version = ?")) {
                check.setString(1, name);
                try (var result = check.executeQuery()) {
                    result.next();
                    applied = result.getLong(1) > 0;
                }
            }
            if (applied) {
                continue;
            }
            root.setAutoCommit(false);
            try (Statement statement = root.createStatement()) {
                for (String sql : statements(resource(MIGRATIONS + name))) {
                    statement.execute(sql);
                }
                try (var record = root.prepareStatement("INSERT INTO schema_migrations (version) VALUES (?)")) {
                    record.setString(1, name);
                    record.execute();
                }
                root.commit();
                LOG.info(() -> "applied migration " + name);
            } catch (SQLException e) {
                root.rollback();
                throw e;
            } finally {
                root.setAutoCommit(true);
            }
        }
    }

    /** Splits a migration file on semicolons at line ends; comments are dropped. */
    static List<String> statements(String script) {
        String withoutComments = script.lines().map(line -> line.replaceAll("--.*$", "")).reduce("", (a, b) -> a + "\n" + b);
        return java.util.Arrays.stream(withoutComments.split(";\\s*(\\n|$)")).map(String::strip)
                .filter(sql -> !sql.isEmpty()).toList();
    }

    /** A text resource beside this class, e.g. a migration. */
    static String resource(String name) {
        return resource(Database.class, name);
    }

    /** A text resource beside {@code owner}, e.g. a domain's SQL file ({@code sql/stats_top.sql}). */
    public static String resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new HitKeepException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lets DuckDB give back the table blocks it keeps cached after a bulk job read far more of the file than the
     * dashboard's questions need: the rollups' catch-up on a seeded, restored or imported year left ~250 MB of the
     * hits' blocks cached on 10M hits, held until the process ended, since DuckDB evicts only when it needs room
     * (BENCHMARKS.md, eighteenth session). Lowering the memory limit evicts every block not in use; it is then set
     * back at once. A statement that needed more than {@link #CACHE_RELEASE_LIMIT} in those few milliseconds would
     * fail as out of memory, so this is for the end of a bulk job, not for every round.
     */
    public void releaseCache() {
        try (Connection connection = connection(); Statement statement = connection.createStatement()) {
            try {
                statement.execute("SET memory_limit = '" + CACHE_RELEASE_LIMIT + "'");
            } catch (SQLException inUse) {
                // more than that is in use right now: DuckDB evicted what it could and kept its limit
            } finally {
                statement.execute("SET memory_limit = '" + memoryLimit + "'");
            }
        } catch (SQLException e) {
            LOG.warning(() -> "releasing DuckDB's cached blocks failed (its memory limit may stay at " + CACHE_RELEASE_LIMIT
                    + " until a restart if setting it back to " + memoryLimit + " failed): " + e.getMessage());
        }
    }

    /** Writes the write-ahead log into the file, so its size reflects what is stored. */
    public void checkpoint() {
        try (Statement statement = root.createStatement()) {
            statement.execute("CHECKPOINT");
        } catch (SQLException e) {
            throw new HitKeepException("checkpoint failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (writes != null) {
            synchronized (writes) {
                try {
                    writes.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
        }
        for (Connection reader : readers) {
            try {
                reader.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        try {
            root.close();
        } catch (SQLException e) {
            LOG.warning("closing hitkeep.db: " + e.getMessage());
        }
    }
}
