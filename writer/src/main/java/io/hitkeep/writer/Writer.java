package io.hitkeep.writer;

import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Metrics;
import io.hitkeep.core.Settings;
import io.hitkeep.web.Observability;
import io.nats.client.Connection;

import java.util.logging.Logger;

/**
 * The writer role: opens {@code hitkeep.db} (the only code that does), runs the hit batcher and hosts
 * every domain's store handlers. {@link #close()} commits the batch in hand before the database closes.
 */
public final class Writer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Writer.class.getName());

    private final Database database;
    private final HitWriter hitWriter;
    private final StoreHost store;

    private Writer(Database database, HitWriter hitWriter, StoreHost store) {
        this.database = database;
        this.hitWriter = hitWriter;
        this.store = store;
    }

    public static Writer start(Settings settings, Connection nats) {
        Database database = Database.open(settings);
        try {
            WriteProgress progress = new WriteProgress(nats, settings);
            StoreHost store = StoreHost.start(nats, database, settings, progress);
            HitWriter hitWriter = new HitWriter(database, nats, settings, progress).start();
            Metrics.gauge("hitkeep_writer_db_bytes", "Size of hitkeep.db on disk", () -> database.file().toFile().length());
            LOG.info(() -> "writer started on " + database.file());
            return new Writer(database, hitWriter, store);
        } catch (RuntimeException e) {
            database.close();
            throw e instanceof HitKeepException known ? known : new HitKeepException("writer failed to start: " + e.getMessage(), e);
        }
    }

    /**
     * Its store host, for a client in the same process ({@link io.hitkeep.core.StoreClient#answeredHere}): the single
     * binary, whose writer is always the leader.
     */
    public io.hitkeep.core.StoreClient.LocalHost storeHost() {
        return store;
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
        database.close();
        LOG.info("writer stopped");
    }

    /**
     * For a writer without a standby (the single binary, a writer role without peers): it leads from its start,
     * so {@code /healthz} says {@code "writer": "leader"} and {@code hitkeep_writer_leader} is 1, as a
     * {@link WriterCluster}'s leader says; {@code /readyz} follows {@link #ready()}.
     */
    public void reportAsSoleLeader(Observability observability) {
        Metrics.gauge("hitkeep_writer_leader", "1 while this writer is the leader and writing, else 0", () -> 1);
        observability.check("writer", this::ready).field("writer", () -> "leader");
    }
}
