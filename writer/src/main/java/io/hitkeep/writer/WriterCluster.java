package io.hitkeep.writer;

import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Metrics;
import io.hitkeep.core.Settings;
import io.nats.client.Connection;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Receiver;
import org.jgroups.View;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writer replicas with one leader: each joins a JGroups group (TCP, members from {@code writer-peers});
 * the group's coordinator is the leader and alone starts a {@link Writer} (opens {@code hitkeep.db}, runs
 * the hit batcher and the store host), the others stand by. When the leader leaves the view (it died or
 * was cut off), the next coordinator takes over.
 *
 * <p>Fencing is DuckDB's own lock on the shared {@code hitkeep.db}: a new leader whose predecessor still
 * holds the file (a leader cut off from the group but alive) cannot open it, keeps trying every half
 * second, and writes nothing meanwhile. Exactly-once needs nothing more: the stream sequence committed in
 * the file tells the new leader where its predecessor stopped. Thread-safe.
 */
public final class WriterCluster implements AutoCloseable {
    /** Setting: the replicas' {@code host:port} list; without it the writer leads alone, without JGroups. */
    public static final String PEERS = "writer-peers";
    /** Setting: this replica's {@code address[:port]} for the group; default {@code site_local:7800}. */
    public static final String BIND = "writer-bind";
    static final int DEFAULT_PORT = 7800;

    private static final Logger LOG = Logger.getLogger(WriterCluster.class.getName());
    private static final String GROUP = "hitkeep-writer";
    private static final Duration RETRY = Duration.ofMillis(500);
    private static final Duration RETRY_LOG_EVERY = Duration.ofSeconds(10);
    // host names, IPv4 addresses and JGroups' symbolic addresses (site_local, non_loopback...)
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+");

    /** What this replica is doing, for {@code /healthz}, {@code /readyz} and the log. */
    public enum Role {
        /** not the coordinator: waits, with {@code hitkeep.db} closed */
        STANDBY,
        /** the coordinator, not yet holding {@code hitkeep.db} (its predecessor may still hold the lock) */
        TAKING_OVER,
        /** the coordinator, writing */
        LEADER
    }

    private final Settings settings;
    private final Connection nats;
    private final JChannel channel;
    private final Thread leadership;
    private final Object signal = new Object();
    private volatile boolean coordinator;
    private volatile boolean running = true;
    private volatile Role role = Role.STANDBY;
    private volatile String state = "joining the writer group";
    private volatile Writer writer;

    private WriterCluster(Settings settings, Connection nats, JChannel channel) {
        this.settings = settings;
        this.nats = nats;
        this.channel = channel;
        this.leadership = Thread.ofPlatform().name("hitkeep-writer-leadership").unstarted(this::lead);
    }

    /** Joins the group named by {@code writer-peers} and {@code writer-bind}; leads if it is the coordinator. */
    public static WriterCluster start(Settings settings, Connection nats) {
        String peers = settings.value(PEERS).orElseThrow(() -> new HitKeepException("writer-peers is not set"));
        JChannel channel;
        try {
            channel = new JChannel(new ByteArrayInputStream(stackConfig(peers, settings.value(BIND, "site_local"))
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new HitKeepException("cannot set up the writer group: " + e.getMessage(), e);
        }
        WriterCluster cluster = new WriterCluster(settings, nats, channel);
        channel.setReceiver(new Receiver() {
            @Override
            public void viewAccepted(View view) {
                cluster.viewChanged(view);
            }
        });
        Metrics.gauge("hitkeep_writer_leader", "1 while this writer is the leader and writing, else 0",
                () -> cluster.role == Role.LEADER ? 1 : 0);
        try {
            channel.connect(GROUP);
        } catch (Exception e) {
            channel.close();
            throw new HitKeepException("cannot join the writer group at " + peers + ": " + e.getMessage(), e);
        }
        cluster.leadership.start();
        return cluster;
    }

    /**
     * The stack resource with this replica's bind address and its peers filled in. Filled into the text
     * (not set as system properties, JGroups' usual way) so two replicas can run in one JVM.
     */
    static String stackConfig(String peers, String bind) {
        String initialHosts = Arrays.stream(peers.split(",")).map(String::strip).filter(peer -> !peer.isEmpty())
                .map(peer -> {
                    HostPort hostPort = HostPort.parse(peer, PEERS);
                    return hostPort.host() + "[" + hostPort.port() + "]";
                })
                .collect(Collectors.joining(","));
        if (initialHosts.isEmpty()) {
            throw new HitKeepException("writer-peers lists no host:port");
        }
        HostPort self = HostPort.parse(bind, BIND);
        return Database.resource(WriterCluster.class, "writer-cluster.xml")
                .replace("{{bind_addr}}", self.host())
                .replace("{{bind_port}}", Integer.toString(self.port()))
                .replace("{{initial_hosts}}", initialHosts);
    }

    /** One {@code host[:port]} of the settings. */
    record HostPort(String host, int port) {
        static HostPort parse(String text, String setting) {
            String[] parts = text.strip().split(":", -1);
            try {
                if (parts.length <= 2 && HOST.matcher(parts[0]).matches()) {
                    int port = parts.length == 2 ? Integer.parseInt(parts[1]) : DEFAULT_PORT;
                    if (port > 0 && port < 65536) {
                        return new HostPort(parts[0], port);
                    }
                }
            } catch (NumberFormatException bad) {
                // said below
            }
            throw new HitKeepException(setting + ": '" + text + "' is not host:port");
        }
    }

    private void viewChanged(View view) {
        Address self = channel.getAddress();
        coordinator = self != null && self.equals(view.getCoord());
        LOG.info(() -> "writer group " + view + (coordinator ? ": this writer leads" : ": this writer stands by"));
        if (!coordinator && writer == null) {
            state = "standby: the leader is " + view.getCoord();
        }
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** The leadership thread: starts the writer when this replica becomes the coordinator, stops it when not. */
    private void lead() {
        int attempts = 0;
        Instant lastLogged = Instant.EPOCH;
        while (running) {
            if (coordinator && writer == null) {
                role = Role.TAKING_OVER;
                attempts++;
                try {
                    writer = Writer.start(settings, nats);
                    role = Role.LEADER;
                    state = "leader: writing " + settings.dataPath().resolve("hitkeep.db");
                    int tries = attempts;
                    LOG.info(() -> "this writer leads from " + Instant.now() + (tries > 1 ? " after " + tries + " attempts to open hitkeep.db" : ""));
                    attempts = 0;
                    continue;
                } catch (RuntimeException e) {
                    // Most likely the previous leader still holds hitkeep.db's lock: it is alive but out of the
                    // group, or its process is still exiting. Writing now would be a split brain; wait.
                    state = "taking over: cannot open hitkeep.db yet (attempt " + attempts + ", retrying every "
                            + RETRY.toMillis() + " ms, writing nothing meanwhile): " + e.getMessage();
                    if (Duration.between(lastLogged, Instant.now()).compareTo(RETRY_LOG_EVERY) >= 0) {
                        LOG.warning(state);
                        lastLogged = Instant.now();
                    }
                }
            } else if (!coordinator && writer != null) {
                stopWriting("another writer is the coordinator now");
            } else if (!coordinator) {
                role = Role.STANDBY;
                attempts = 0;
                state = "standby: the leader is " + leaderName().orElse("not known yet");
            }
            synchronized (signal) {
                try {
                    signal.wait(writer == null && coordinator ? RETRY.toMillis() : 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (writer != null) {
            stopWriting("shutting down");
        }
    }

    private void stopWriting(String why) {
        LOG.info(() -> "this writer stops leading: " + why);
        // the batch in hand is committed and acknowledged before the file's lock is released
        writer.close();
        writer = null;
        role = Role.STANDBY;
        state = "standby: " + why;
    }

    private Optional<String> leaderName() {
        View view = channel.getView();
        return view == null ? Optional.empty() : Optional.of(String.valueOf(view.getCoord()));
    }

    public Role role() {
        return role;
    }

    /** {@code "leader"} while writing, else {@code "standby"}: the {@code writer} field of {@code /healthz}. */
    public String roleName() {
        return role == Role.LEADER ? "leader" : "standby";
    }

    /** A sentence for {@code /readyz}: what this replica does, and why it does not write when it does not. */
    public String state() {
        return state;
    }

    /** The members of the group's current view, coordinator first. */
    public List<String> members() {
        View view = channel.getView();
        return view == null ? List.of() : view.getMembers().stream().map(String::valueOf).toList();
    }

    /**
     * Ready: a standby is (it can take over), a leader once its batcher consumes; a coordinator that cannot
     * open {@code hitkeep.db} is not.
     */
    public boolean ready() {
        Writer current = writer;
        return switch (role) {
            case STANDBY -> channel.isConnected();
            case TAKING_OVER -> false;
            case LEADER -> current != null && current.ready();
        };
    }

    /** Stops writing (committing the batch in hand, releasing the file), then leaves the group. */
    @Override
    public void close() {
        running = false;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            leadership.join(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "leaving the writer group", e);
        }
        LOG.info("writer replica stopped");
    }
}
