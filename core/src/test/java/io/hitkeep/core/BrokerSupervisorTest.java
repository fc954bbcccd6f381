package io.hitkeep.core;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the real nats-server (Debian's, at /usr/sbin/nats-server). Temporary directories come from JUnit's
 * {@code @TempDir}: the {@code testing} module's {@code TempFiles} depends on core, so core cannot use it.
 */
@Timeout(90)
class BrokerSupervisorTest {
    @TempDir
    Path dataPath;

    private final List<BrokerSupervisor> supervisors = new ArrayList<>();
    private final Set<Long> serverPids = new HashSet<>();

    private BrokerSupervisor start(Path data) {
        return start(data, "auto");
    }

    /** {@code watch}: how the server ends with its JVM, {@code auto} (setpriv here) or {@code shell}. */
    private BrokerSupervisor start(Path data, String watch) {
        BrokerSupervisor supervisor = BrokerSupervisor.start(Settings.of(Map.of(Settings.DATA_PATH, data.toString(),
                BrokerSupervisor.WATCH_SETTING, watch)));
        supervisors.add(supervisor);
        serverPids.add(pid(supervisor));
        return supervisor;
    }

    @AfterEach
    void stopEverything() {
        supervisors.forEach(BrokerSupervisor::close);
        // a server a failing test left behind: only ever one of ours, found through our own pid files
        for (long pid : serverPids) {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** The pid the running server wrote; it writes the file before it listens. */
    private static long pid(BrokerSupervisor supervisor) {
        try {
            return Long.parseLong(Files.readString(supervisor.directory().resolve("nats-server.pid"), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            throw new AssertionError("no pid file in " + supervisor.directory(), e);
        }
    }

    /** Whether a brand-new client connection to the url works right now. */
    private static boolean connects(String url) {
        Options options = Options.builder().server(url).connectionTimeout(Duration.ofSeconds(1)).noReconnect()
                .errorListener(new ErrorListener() {
                    // refused connections are expected while polling; the default listener logs each one
                    @Override
                    public void exceptionOccurred(Connection connection, Exception exp) {
                    }
                }).build();
        try {
            Connection connection = Nats.connect(options);
            try {
                connection.flush(Duration.ofSeconds(1));
                return true;
            } finally {
                connection.close();
            }
        } catch (Exception notNow) {
            return false;
        }
    }

    private static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " within " + limit.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    private static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void startsAndAcceptsConnections() throws Exception {
        BrokerSupervisor supervisor = start(dataPath);

        assertTrue(supervisor.url().matches("nats://127\\.0\\.0\\.1:\\d+"), supervisor.url());
        assertEquals(dataPath.resolve("nats").toAbsolutePath(), supervisor.directory());
        assertTrue(supervisor.alive());
        Connection connection = Nats.connect(supervisor.url());
        try {
            // JetStream is on, with its store under the data path
            HitStream.ensure(connection.jetStreamManagement());
            assertEquals(Subjects.HITS, connection.jetStreamManagement().getStreamInfo(Subjects.HIT_STREAM)
                    .getConfiguration().getSubjects().getFirst());
        } finally {
            connection.close();
        }
        try (var files = Files.walk(supervisor.directory().resolve("jetstream"))) {
            assertTrue(files.anyMatch(file -> file.endsWith(Subjects.HIT_STREAM) && Files.isDirectory(file)),
                    "the stream's files are under the data path");
        }
        String config = Files.readString(supervisor.directory().resolve("nats-server.conf"));
        assertTrue(config.contains("listen: 127.0.0.1:"), "loopback only:\n" + config);
    }

    @Test
    void closeStopsTheServer() throws Exception {
        BrokerSupervisor supervisor = start(dataPath);
        long pid = pid(supervisor);

        supervisor.close();

        assertFalse(supervisor.alive());
        assertFalse(running(pid), "nats-server " + pid + " still runs");
        assertFalse(connects(supervisor.url()));
    }

    @Test
    void missingProgramIsAClearError() {
        Path missing = dataPath.resolve("no-such-dir").resolve("nats-server");
        Settings settings = Settings.of(Map.of(Settings.DATA_PATH, dataPath.toString(),
                Settings.NATS_SERVER_BIN, missing.toString()));

        HitKeepException error = assertThrows(HitKeepException.class, () -> BrokerSupervisor.start(settings));

        assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
    }

    @Test
    void restartsTheServerWhenItIsKilled() throws Exception {
        BrokerSupervisor supervisor = start(dataPath);
        long killed = pid(supervisor);

        ProcessHandle.of(killed).orElseThrow().destroyForcibly();
        await("the killed server gone", Duration.ofSeconds(10), () -> !running(killed));

        // alive() turns true once the supervisor has seen the new server answer, a moment after the
        // server itself answers and writes its pid file: wait for all three
        await("a fresh connection after the kill", Duration.ofSeconds(20),
                () -> connects(supervisor.url()) && pid(supervisor) != killed && supervisor.alive());
        serverPids.add(pid(supervisor));
        assertTrue(running(pid(supervisor)));
    }

    /**
     * Kills the server so that restarting it fails until the returned pid file path is deleted: a directory
     * where the pid file goes makes nats-server exit at start.
     */
    private Path killWithRestartsFailing(BrokerSupervisor supervisor) throws Exception {
        long killed = pid(supervisor);
        Path pidFile = supervisor.directory().resolve("nats-server.pid");
        Files.delete(pidFile);
        Files.createDirectory(pidFile);

        ProcessHandle.of(killed).orElseThrow().destroyForcibly();
        await("the killed server gone", Duration.ofSeconds(10), () -> !running(killed));
        await("a failed restart in the log", Duration.ofSeconds(20), () -> {
            try {
                return Files.readString(supervisor.directory().resolve("nats-server.log")).contains("Could not write pidfile");
            } catch (IOException e) {
                return false;
            }
        });
        return pidFile;
    }

    /**
     * Regression: a restart whose server exited at once was never tried again, because the failed process
     * replaced the dead one and the retry loop took that for "someone else restarted it". The broker then
     * stayed down for good.
     */
    @Test
    void keepsRestartingAfterAFailedRestart() throws Exception {
        BrokerSupervisor supervisor = start(dataPath);
        Files.delete(killWithRestartsFailing(supervisor));

        // the new server listens a moment before the supervisor adopts it as its process
        await("a fresh connection once the server can start again", Duration.ofSeconds(20),
                () -> connects(supervisor.url()) && supervisor.alive());
        serverPids.add(pid(supervisor));
        assertTrue(supervisor.alive());
    }

    /**
     * Regression: restarts ran as an onExit() action on the common ForkJoinPool, which has a single worker
     * on a two-core machine; while they backed off and retried, nothing else in the JVM that uses the pool
     * (CompletableFuture.supplyAsync, ProcessHandle.onExit, parallel streams) got to run.
     */
    @Test
    void failingRestartsLeaveTheCommonPoolFree() throws Exception {
        BrokerSupervisor supervisor = start(dataPath);
        Path pidFile = killWithRestartsFailing(supervisor);
        try {
            assertEquals("ran", CompletableFuture.supplyAsync(() -> "ran").get(5, TimeUnit.SECONDS));
        } finally {
            Files.delete(pidFile);
        }
        await("the server back", Duration.ofSeconds(20), () -> connects(supervisor.url()));
        serverPids.add(pid(supervisor));
    }

    /**
     * A JVM killed with -9 leaves its nats-server running, holding the store. Simulated here by a second
     * supervisor on the same data path while the first is not closed: the second must stop the first one's
     * server and run its own, and the first must not fight back by restarting it.
     */
    @Test
    void stopsAServerLeftByACrashedProcess() throws Exception {
        BrokerSupervisor crashed = start(dataPath);
        long leftover = pid(crashed);

        BrokerSupervisor fresh = start(dataPath);

        long current = pid(fresh);
        assertNotEquals(leftover, current);
        await("the leftover server gone", Duration.ofSeconds(20), () -> !running(leftover));
        assertTrue(connects(fresh.url()), "the new server answers");
        // give a restart by the first supervisor time to happen, then check nothing changed hands
        Thread.sleep(1_500);
        assertEquals(current, pid(fresh), "the pid file still names the new server");
        assertTrue(fresh.alive(), "the new server still runs");
        assertTrue(running(current));
        assertFalse(crashed.alive(), "the first supervisor restarted its server");
        assertTrue(connects(fresh.url()));
        assertFalse(connects(crashed.url()), "the first supervisor's port answers");
    }

    @Test
    void configuredProgramComesBeforeTheSystemOne() throws Exception {
        Path configured = Files.createSymbolicLink(dataPath.resolve("my-nats-server"), Path.of("/usr/sbin/nats-server"));
        Settings settings = Settings.of(Map.of(Settings.NATS_SERVER_BIN, configured.toString(),
                Settings.NATS_SERVER_SEARCH_PATH, "/usr/sbin"));

        assertEquals(configured, BrokerSupervisor.findProgram(settings, dataPath.resolve("bin")));
    }

    @Test
    void systemProgramIsLookedForInTheSearchPath() throws Exception {
        Path empty = Files.createDirectory(dataPath.resolve("empty"));
        Path installed = Files.createDirectory(dataPath.resolve("installed"));
        Files.createSymbolicLink(installed.resolve("nats-server"), Path.of("/usr/sbin/nats-server"));
        Settings settings = Settings.of(Map.of(Settings.NATS_SERVER_SEARCH_PATH, empty + ":" + installed));

        assertEquals(installed.resolve("nats-server"), BrokerSupervisor.findProgram(settings, dataPath.resolve("bin")));
    }

    /** Core's tests run without the program the app module puts into the jar: the last resort is an error. */
    @Test
    void withoutAnyProgramTheErrorSaysWhereItLookedAndWhatToInstall() throws Exception {
        Path empty = Files.createDirectory(dataPath.resolve("empty"));
        Settings settings = Settings.of(Map.of(Settings.NATS_SERVER_SEARCH_PATH, empty.toString()));

        HitKeepException error = assertThrows(HitKeepException.class, () -> BrokerSupervisor.findProgram(settings, dataPath.resolve("bin")));

        assertTrue(error.getMessage().contains(empty.toString()) && error.getMessage().contains("apt-get install nats-server"),
                error.getMessage());
    }

    /**
     * Regression: a JVM ended by kill -9 (or the kernel's out-of-memory killer) left its nats-server running,
     * holding the port and the store. The server runs under a wrapper that watches the JVM through a pipe.
     */
    @ParameterizedTest
    @ValueSource(strings = {"auto", "shell"})
    void serverEndsWhenItsJvmIsKilled(String watch) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), BrokerChild.class.getName(),
                dataPath.toString(), watch).redirectErrorStream(true).start();
        try {
            var output = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = output.readLine()) != null && !line.equals("ready")) {
                // the child's log lines
            }
            assertEquals("ready", line, "the child JVM started its broker");
            long server = Long.parseLong(Files.readString(dataPath.resolve("nats").resolve("nats-server.pid")).trim());
            serverPids.add(server);
            assertTrue(running(server));

            child.destroyForcibly().waitFor();

            await("nats-server " + server + " ending after its JVM was killed", Duration.ofSeconds(30), () -> !running(server));
        } finally {
            child.destroyForcibly();
        }
    }

    /** What the JetStream watchdog does when JetStream stops answering: the server is stopped and started afresh. */
    @ParameterizedTest
    @ValueSource(strings = {"auto", "shell"})
    void restartServerStartsAFreshOne(String watch) throws Exception {
        BrokerSupervisor supervisor = start(dataPath, watch);
        long first = pid(supervisor);

        supervisor.restartServer("a test");

        await("the first server gone", Duration.ofSeconds(15), () -> !running(first));
        await("a fresh server answering", Duration.ofSeconds(20),
                () -> connects(supervisor.url()) && pid(supervisor) != first && supervisor.alive());
        serverPids.add(pid(supervisor));
    }

    /**
     * The kernel stops a server started through {@code setpriv --pdeathsig} when the thread that started it ends.
     * A supervisor started from a thread that then ends, as a restart's watch thread does, must keep its server.
     */
    @Test
    void serverOutlivesTheThreadThatStartedIt() throws Exception {
        List<BrokerSupervisor> started = new ArrayList<>();
        Thread starter = Thread.ofPlatform().start(() -> started.add(start(dataPath)));
        starter.join();
        BrokerSupervisor supervisor = started.getFirst();
        long server = pid(supervisor);

        // join returns as the Java thread ends; the kernel signals when its OS thread exits a moment later, and
        // nats-server stops within milliseconds of TERM: a second is ample for the failure to show (it did, with
        // the server started from that thread directly), and the test cannot fail for lack of it
        Thread.sleep(1000);

        assertTrue(running(server), "nats-server " + server + " still running after its starting thread ended");
        assertTrue(connects(supervisor.url()));
        assertTrue(supervisor.alive());
    }

    /**
     * Regression: the supervisor looked for the stream's metadata one folder too high, so a restart on a full
     * disk sized JetStream below the existing stream, and nats-server did not load the stream ("insufficient
     * storage resources") with its unwritten hits.
     */
    @Test
    void theExistingStreamsSizeIsReadFromItsFiles() throws Exception {
        BrokerSupervisor supervisor = start(dataPath);
        Connection connection = Nats.connect(supervisor.url());
        long maxBytes;
        try {
            maxBytes = connection.jetStreamManagement().getStreamInfo(Subjects.HIT_STREAM).getConfiguration().getMaxBytes();
        } finally {
            connection.close();
        }

        assertTrue(maxBytes > 0);
        assertEquals(maxBytes, StorageBudget.existingStreamMaxBytes(supervisor.directory()));
    }
}
