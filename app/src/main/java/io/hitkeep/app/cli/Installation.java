package io.hitkeep.app.cli;

import io.hitkeep.core.BrokerSupervisor;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.NatsConnector;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.reports.backup.DataStoreHandlers;
import io.hitkeep.writer.Writer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The installation a command works on, reached through its writer: the running one (the broker of
 * {@code HITKEEP_NATS_URL}, or the single binary's embedded broker found in {@code data/nats/nats-server.conf}),
 * else, when nothing answers and {@code hitkeep.db} is here, a writer started in this process on the stopped
 * installation's own files (with its embedded broker unless {@code HITKEEP_NATS_URL} names one). Either way the
 * command asks the same store operations. Closing stops what was started here. Not thread-safe.
 */
final class Installation implements AutoCloseable {
    private static final Pattern LISTEN = Pattern.compile("(?m)^\\s*listen:\\s*([0-9.]+):(\\d+)");
    private static final Duration PING = Duration.ofSeconds(3);

    private final StoreClient store;
    private final Connection nats;
    private final boolean running;
    private final Deque<AutoCloseable> started;

    private Installation(StoreClient store, Connection nats, boolean running, Deque<AutoCloseable> started) {
        this.store = store;
        this.nats = nats;
        this.running = running;
        this.started = started;
    }

    /** The running installation's writer, or a writer started here on the stopped one's files. */
    static Installation reach(Settings settings) {
        return reach(settings, false);
    }

    /** As {@link #reach(Settings)}; {@code mayCreate}: a data folder without a database gets a new one (a first account). */
    static Installation reach(Settings settings, boolean mayCreate) {
        Optional<Installation> running = running(settings);
        if (running.isPresent()) {
            return running.get();
        }
        Path database = settings.dataPath().resolve("hitkeep.db");
        if (!mayCreate && !Files.exists(database)) {
            throw new HitKeepException("no HitKeep answers" + settings.natsUrl().map(url -> " at " + url).orElse("")
                    + " and there is no " + database + ": set HITKEEP_DATA_PATH (or --data-path=DIR) to the installation's data folder");
        }
        return startHere(settings);
    }

    /** The installation whose writer answers now, if any. */
    static Optional<Installation> running(Settings settings) {
        Optional<String> url = settings.natsUrl().or(() -> embeddedBroker(settings.dataPath()));
        if (url.isEmpty()) {
            return Optional.empty();
        }
        // a port from a stopped installation's leftover configuration may belong to another installation's broker now
        boolean mustBeThisFolder = settings.natsUrl().isEmpty();
        Connection connection;
        try {
            connection = Nats.connect(Options.builder().server(url.get()).connectionName("hitkeep-cli")
                    .connectionTimeout(Duration.ofSeconds(2)).noReconnect().build());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        StoreClient store = new StoreClient(connection);
        try {
            Path answering = Path.of(store.call(DataStoreHandlers.IDENTITY, StoreOperation.None.NONE, PING).dataPath());
            if (mustBeThisFolder && !sameFolder(answering, settings.dataPath())) {
                closeQuietly(connection);
                return Optional.empty();
            }
            Deque<AutoCloseable> started = new ArrayDeque<>();
            started.push(connection);
            return Optional.of(new Installation(store, connection, true, started));
        } catch (RuntimeException noWriter) {
            closeQuietly(connection);
            return Optional.empty();
        }
    }

    /** Starts the broker (unless one is configured) and a writer on the stopped installation's files. */
    static Installation startHere(Settings settings) {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            String url;
            if (settings.natsUrl().isPresent()) {
                url = settings.natsUrl().get();
            } else {
                BrokerSupervisor broker = BrokerSupervisor.start(settings);
                started.push(broker);
                url = broker.url();
            }
            Connection connection = NatsConnector.connect(url, "hitkeep-cli");
            started.push(connection);
            started.push(Writer.start(settings, connection));
            return new Installation(new StoreClient(connection), connection, false, started);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    private static boolean sameFolder(Path one, Path other) {
        try {
            return Files.isSameFile(one, other);
        } catch (IOException e) {
            return one.toAbsolutePath().normalize().equals(other.toAbsolutePath().normalize());
        }
    }

    /** The single binary's broker, from the configuration it wrote: {@code listen: 127.0.0.1:<port>}. */
    static Optional<String> embeddedBroker(Path dataPath) {
        Path config = dataPath.resolve("nats").resolve("nats-server.conf");
        try {
            Matcher listen = LISTEN.matcher(Files.readString(config));
            return listen.find() ? Optional.of("nats://" + listen.group(1) + ":" + listen.group(2)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    StoreClient store() {
        return store;
    }

    Connection nats() {
        return nats;
    }

    /** Whether a server was running (else this process opened the files itself). */
    boolean wasRunning() {
        return running;
    }

    @Override
    public void close() {
        closeAll(started);
    }

    private static void closeAll(Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            closeQuietly(started.pop());
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception ignored) {
            // stopping anyway
        }
    }
}
