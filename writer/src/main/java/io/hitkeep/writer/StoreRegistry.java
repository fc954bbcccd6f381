package io.hitkeep.writer;

import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreOperation;
import io.nats.client.Connection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.function.Function;

/**
 * What a domain's {@link StoreHandlers} get to register with: the database, the broker connection (for a
 * domain that publishes, e.g. the site registry), the settings, the hit writer's progress (for reads that
 * must count every accepted hit), and {@link #handle} to answer an operation.
 * Used once, at start, on one thread.
 */
public final class StoreRegistry {
    /** An operation with its handler, as the host runs it. */
    record Entry<Q, R>(StoreOperation<Q, R> operation, Function<Q, R> handler) {
        Object answer(Q request) {
            return handler.apply(request);
        }
    }

    private final Database database;
    private final Connection nats;
    private final Settings settings;
    private final WriteProgress progress;
    private final SequencedMap<String, Entry<?, ?>> entries = new LinkedHashMap<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    StoreRegistry(Database database, Connection nats, Settings settings, WriteProgress progress) {
        this.database = database;
        this.nats = nats;
        this.settings = settings;
        this.progress = progress;
    }

    public Database database() {
        return database;
    }

    public Connection nats() {
        return nats;
    }

    public Settings settings() {
        return settings;
    }

    public WriteProgress writeProgress() {
        return progress;
    }

    /** Answers {@code operation} with {@code handler}; an operation has one handler in the whole deployment. */
    public <Q, R> StoreRegistry handle(StoreOperation<Q, R> operation, Function<Q, R> handler) {
        if (entries.putIfAbsent(operation.name(), new Entry<>(operation, handler)) != null) {
            throw new IllegalStateException("two handlers for the store operation " + operation.name());
        }
        return this;
    }

    /**
     * Background work a domain started with its handlers (the rollups' roller): closed when the host stops,
     * before the database closes.
     */
    public StoreRegistry closeWith(AutoCloseable work) {
        closeables.add(work);
        return this;
    }

    List<AutoCloseable> closeables() {
        return closeables;
    }

    Map<String, Entry<?, ?>> entries() {
        return entries;
    }
}
