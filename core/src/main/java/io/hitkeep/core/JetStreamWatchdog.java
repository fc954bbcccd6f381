package io.hitkeep.core;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches the embedded broker from its own connection. nats-server 2.9 whose disk ran full keeps answering
 * PING while its JetStream API never replies again, and stays so after space is freed; hits then get 503
 * until a restart. A client whose JetStream request hangs there stops getting answers to its PINGs too, so
 * the PING goes over one connection and each JetStream probe over a fresh one. When the server answers but
 * JetStream has not for {@link #WEDGED_AFTER}, the watchdog
 * restarts the server (at most once per {@link #RESTART_SPACING}). It also warns when the data volume runs
 * low on space. Runs on one daemon thread; thread-safe.
 */
final class JetStreamWatchdog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JetStreamWatchdog.class.getName());
    /** Long enough that a broker merely slow under load (a shared two-core machine) is not restarted. */
    static final Duration WEDGED_AFTER = Duration.ofSeconds(15);
    static final Duration RESTART_SPACING = Duration.ofSeconds(30);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(2);
    private static final Duration DISK_CHECK_EVERY = Duration.ofSeconds(30);
    private static final Duration LOW_SPACE_REMINDER = Duration.ofMinutes(10);

    private final BrokerSupervisor supervisor;
    private final Connection connection;
    private final Options probeOptions;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long freeBytes = -1;

    private JetStreamWatchdog(BrokerSupervisor supervisor, Connection connection, Options probeOptions) {
        this.supervisor = supervisor;
        this.connection = connection;
        this.probeOptions = probeOptions;
        this.thread = Thread.ofPlatform().name("hitkeep-broker-watchdog").daemon().unstarted(this::run);
    }

    static JetStreamWatchdog start(BrokerSupervisor supervisor) {
        ErrorListener quiet = new ErrorListener() {
            // the roles' own connections already log the broker going away and coming back
            @Override
            public void exceptionOccurred(Connection conn, Exception exp) {
            }
        };
        Options options = Options.builder().server(supervisor.url()).connectionName("hitkeep-watchdog")
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(250)).connectionTimeout(Duration.ofSeconds(2))
                .errorListener(quiet).build();
        Options probeOptions = Options.builder().server(supervisor.url()).connectionName("hitkeep-watchdog-probe")
                .noReconnect().connectionTimeout(Duration.ofSeconds(2)).errorListener(quiet).build();
        try {
            JetStreamWatchdog watchdog = new JetStreamWatchdog(supervisor, Nats.connect(options), probeOptions);
            Metrics.gauge("hitkeep_data_volume_free_bytes", "Free bytes on the volume of the data directory", () -> watchdog.freeBytes);
            watchdog.thread.start();
            return watchdog;
        } catch (IOException e) {
            throw new HitKeepException("cannot connect to the embedded nats-server at " + supervisor.url() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HitKeepException("interrupted while connecting to the embedded nats-server", e);
        }
    }

    private void run() {
        long lastJetStreamAnswer = System.nanoTime();
        long lastRestart = System.nanoTime() - RESTART_SPACING.toNanos();
        long nextDiskCheck = System.nanoTime();
        long lowSpaceWarned = 0;
        boolean low = false;
        while (running) {
            long now = System.nanoTime();
            if (serverAnswers()) {
                if (jetStreamAnswers()) {
                    lastJetStreamAnswer = now;
                } else if (now - lastJetStreamAnswer > WEDGED_AFTER.toNanos() && now - lastRestart > RESTART_SPACING.toNanos()) {
                    lastRestart = now;
                    lastJetStreamAnswer = now;
                    supervisor.restartServer("it answers, but its JetStream API has not replied for over "
                            + WEDGED_AFTER.toSeconds() + " s (a disk that was full wedges it)");
                }
            } else {
                // a server that is down or restarting is the supervisor's business, not a wedge
                lastJetStreamAnswer = now;
            }
            if (now >= nextDiskCheck) {
                nextDiskCheck = now + DISK_CHECK_EVERY.toNanos();
                boolean nowLow = checkDisk();
                if (nowLow && (!low || now - lowSpaceWarned > LOW_SPACE_REMINDER.toNanos())) {
                    lowSpaceWarned = now;
                    long free = freeBytes;
                    LOG.warning(() -> "the data volume of " + supervisor.directory() + " has only " + (free >> 20)
                            + " MiB free: when it is full, ingest answers 503 until space is freed");
                } else if (!nowLow && low) {
                    LOG.info(() -> "the data volume has room again (" + (freeBytes >> 20) + " MiB free)");
                }
                low = nowLow;
            }
            pause(PROBE_EVERY);
        }
    }

    private boolean serverAnswers() {
        try {
            connection.flush(Duration.ofSeconds(1));
            return true;
        } catch (Exception noAnswer) {
            return false;
        }
    }

    private boolean jetStreamAnswers() {
        Connection probe = null;
        try {
            probe = Nats.connect(probeOptions);
            JetStreamManagement management = probe.jetStreamManagement(JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(3)).build());
            management.getAccountStatistics();
            return true;
        } catch (Exception noAnswer) {
            return false;
        } finally {
            if (probe != null) {
                try {
                    probe.close();
                } catch (InterruptedException e) {
                    running = false;
                }
            }
        }
    }

    /** Measures the free space; true when it is low (under 10 % of the volume, or under 100 MiB). */
    private boolean checkDisk() {
        try {
            FileStore store = Files.getFileStore(supervisor.directory());
            long free = store.getUsableSpace();
            freeBytes = free;
            return isLow(free, store.getTotalSpace());
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot measure free space", e);
            return false;
        }
    }

    static boolean isLow(long freeBytes, long totalBytes) {
        return freeBytes < Math.min(100L << 20, totalBytes / 2) || freeBytes < totalBytes / 10;
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
