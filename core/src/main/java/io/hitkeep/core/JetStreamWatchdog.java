package io.hitkeep.core;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches the embedded broker. nats-server 2.9 whose disk ran full keeps answering PING while its JetStream
 * API never replies again, and stays so after space is freed; hits then get 503 until a restart. Every
 * {@link #PROBE_EVERY} it looks at the server over a fresh socket ({@link BrokerCheck}: a PING, then a JetStream
 * request). When the server answers but JetStream has not for {@link #WEDGED_AFTER}, the watchdog restarts the
 * server (at most once per {@link #RESTART_SPACING}). It also warns when the data volume runs low on space.
 * Runs on one daemon thread; thread-safe.
 */
final class JetStreamWatchdog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JetStreamWatchdog.class.getName());
    /** Long enough that a broker merely slow under load (a shared two-core machine) is not restarted. */
    static final Duration WEDGED_AFTER = Duration.ofSeconds(15);
    static final Duration RESTART_SPACING = Duration.ofSeconds(30);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(2);
    private static final Duration DISK_CHECK_EVERY = Duration.ofSeconds(30);
    private static final Duration LOW_SPACE_REMINDER = Duration.ofMinutes(10);

    /** The PING's wait; the JetStream request's is {@link #JETSTREAM_WAIT}. */
    private static final Duration SERVER_WAIT = Duration.ofSeconds(1);
    private static final Duration JETSTREAM_WAIT = Duration.ofSeconds(3);

    private final BrokerSupervisor supervisor;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long freeBytes = -1;

    private JetStreamWatchdog(BrokerSupervisor supervisor) {
        this.supervisor = supervisor;
        this.thread = Thread.ofPlatform().name("hitkeep-broker-watchdog").daemon().unstarted(this::run);
    }

    static JetStreamWatchdog start(BrokerSupervisor supervisor) {
        JetStreamWatchdog watchdog = new JetStreamWatchdog(supervisor);
        Metrics.gauge("hitkeep_data_volume_free_bytes", "Free bytes on the volume of the data directory", () -> watchdog.freeBytes);
        watchdog.thread.start();
        return watchdog;
    }

    private void run() {
        long lastJetStreamAnswer = System.nanoTime();
        long lastRestart = System.nanoTime() - RESTART_SPACING.toNanos();
        long nextDiskCheck = System.nanoTime();
        long lowSpaceWarned = 0;
        boolean low = false;
        while (running) {
            long now = System.nanoTime();
            BrokerCheck.Result answer = BrokerCheck.check(supervisor.port(), SERVER_WAIT, JETSTREAM_WAIT);
            if (answer != BrokerCheck.Result.NO_ANSWER) {
                if (answer == BrokerCheck.Result.JETSTREAM) {
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
