package io.hitkeep.writer;

import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Metrics;
import io.hitkeep.core.Settings;
import io.nats.client.Connection;

import java.sql.SQLException;
import java.util.logging.Logger;

/**
 * The writer role: opens {@code hitkeep.db} (the only code that does), runs the hit batcher and answers
 * store requests. {@link #close()} commits the batch in hand before the database closes.
 */
public final class Writer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Writer.class.getName());

    private final Database database;
    private final java.sql.Connection accountWrites;
    private final HitWriter hitWriter;
    private final StoreService store;

    private Writer(Database database, java.sql.Connection accountWrites, HitWriter hitWriter, StoreService store) {
        this.database = database;
        this.accountWrites = accountWrites;
        this.hitWriter = hitWriter;
        this.store = store;
    }

    public static Writer start(Settings settings, Connection nats) {
        Database database = Database.open(settings);
        try {
            java.sql.Connection accountWrites = database.connection();
            Teams teams = new Teams(database, accountWrites);
            Sites sites = new Sites(database, accountWrites, nats, teams);
            sites.publishAll();
            Accounts accounts = new Accounts(database, accountWrites);
            HitWriter hitWriter = new HitWriter(database, nats, settings).start();
            StoreService store = new StoreService(nats, sites, teams, new ShareLinks(database, accountWrites, sites), accounts,
                    new AccountSecurity(database, accountWrites), new Stats(database),
                    new Passkeys(database, accountWrites)).start();
            Metrics.gauge("hitkeep_writer_db_bytes", "Size of hitkeep.db on disk", () -> database.file().toFile().length());
            LOG.info(() -> "writer started on " + database.file());
            return new Writer(database, accountWrites, hitWriter, store);
        } catch (SQLException | RuntimeException e) {
            database.close();
            throw e instanceof HitKeepException known ? known : new HitKeepException("writer failed to start: " + e.getMessage(), e);
        }
    }

    public boolean ready() {
        return hitWriter.ready();
    }

    /** Forces DuckDB's write-ahead log into the file (benchmarks measure bytes per hit after it). */
    public void checkpoint() {
        database.checkpoint();
    }

    @Override
    public void close() {
        store.close();
        hitWriter.close();
        try {
            accountWrites.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
        database.close();
        LOG.info("writer stopped");
    }
}
