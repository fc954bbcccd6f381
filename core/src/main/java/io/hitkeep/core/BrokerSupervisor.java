package io.hitkeep.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the embedded broker: Debian's {@code nats-server} as a child process on 127.0.0.1 with JetStream
 * stored under the data directory. Finds the program (configured, installed, else the copy the jar carries),
 * writes its configuration with storage limits that fit the disk ({@link StorageBudget}), starts it, waits
 * until it answers, restarts it when it dies or when its JetStream stops answering ({@link JetStreamWatchdog}),
 * and stops it on {@link #close()}. The server ends with the JVM however the JVM ends (SIGTERM, kill -9, out of
 * memory): it is started through util-linux's {@code setpriv --pdeathsig TERM}, so the kernel stops it, or where
 * there is no setpriv, under a small shell that watches this JVM through a pipe. A server left running by an older
 * version is still found through its pid file and stopped before a new one starts. Thread-safe.
 */
public final class BrokerSupervisor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BrokerSupervisor.class.getName());
    private static final String DEFAULT_SEARCH_AFTER_PATH = "/usr/sbin:/usr/bin";
    /**
     * Runs the server ({@code "$@"}) and ends it when this JVM ends. The JVM holds the write end of the shell's
     * stdin; the kernel closes it when the JVM exits in any way, and the watcher's read then sees end of file
     * and stops the server (TERM, then KILL after 10 s). A background list's stdin is /dev/null in a
     * non-interactive shell, hence the copy on fd 3. The shell waits for the server and exits with its status,
     * so the supervisor still sees a crash as an exit. TERM to the shell (Process.destroy) is passed on.
     */
    static final String WATCH_SCRIPT = """
            exec 3<&0
            "$@" </dev/null 3<&- &
            server=$!
            trap 'kill -TERM "$server" 2>/dev/null' TERM INT HUP
            { while read -r _ <&3; do :; done; kill -TERM "$server" 2>/dev/null; sleep 10; kill -KILL "$server" 2>/dev/null; } &
            watcher=$!
            exec 3<&-
            wait "$server"; status=$?
            while kill -0 "$server" 2>/dev/null; do wait "$server"; status=$?; done
            kill "$watcher" 2>/dev/null
            exit "$status"
            """;

    /**
     * The thread every server is started from. Linux sends the parent-death signal when the thread that started
     * the process ends, not its process: a server started from a restart's watch thread, which ends, would be
     * stopped at once. This one lives as long as the JVM, and ends with it.
     */
    private static final ThreadPoolExecutor STARTER = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), task -> Thread.ofPlatform().name("hitkeep-broker-starter").daemon().unstarted(task));
    /** util-linux's setpriv, when it is there and takes {@code --pdeathsig} (2.33, Debian 10, and later). */
    private static final Optional<Path> SETPRIV = parentDeathSignalProgram();
    /**
     * {@code broker-watch}: {@code auto} (setpriv where it works, else the shell) or {@code shell}, so that tests
     * exercise the shell on a machine with setpriv.
     */
    static final String WATCH_SETTING = "broker-watch";

    private final Path program;
    /** setpriv, or empty to run the server under {@link #WATCH_SCRIPT}. */
    private final Optional<Path> setpriv;
    private final Path directory;
    private final Path configFile;
    private final Path pidFile;
    private final Path logFile;
    private final Path ownerFile;
    private final String owner = UUID.randomUUID().toString();
    private final int port;
    private final Settings settings;
    private volatile StorageBudget budget;
    private volatile Process process;
    private volatile boolean closing;
    private volatile JetStreamWatchdog watchdog;

    private BrokerSupervisor(Path program, Path directory, int port, Settings settings) {
        this.program = program;
        this.settings = settings;
        this.setpriv = settings.value(WATCH_SETTING, "auto").equals("shell") ? Optional.empty() : SETPRIV;
        this.directory = directory;
        this.configFile = directory.resolve("nats-server.conf");
        this.pidFile = directory.resolve("nats-server.pid");
        this.logFile = directory.resolve("nats-server.log");
        this.ownerFile = directory.resolve("supervisor.owner");
        this.port = port;
    }

    /** Starts a broker under {@code dataPath/nats} and returns once it accepts connections. */
    public static BrokerSupervisor start(Settings settings) {
        Path directory = settings.dataPath().resolve("nats");
        int port = settings.intValue("nats-port", 0);
        BrokerSupervisor supervisor = new BrokerSupervisor(findProgram(settings, directory.resolve("bin")), directory,
                port == 0 ? freePort() : port, settings);
        supervisor.startOnce();
        supervisor.prepareHitStream();
        supervisor.watchdog = JetStreamWatchdog.start(supervisor);
        return supervisor;
    }

    /**
     * The program from {@code nats-server-bin}; else a system one, from the directories of
     * {@code nats-server-search-path} (default: {@code PATH}, then /usr/sbin and /usr/bin); else the one this jar
     * carries, unpacked into {@code unpackInto}.
     */
    static Path findProgram(Settings settings, Path unpackInto) {
        Optional<String> configured = settings.value(Settings.NATS_SERVER_BIN);
        if (configured.isPresent()) {
            Path path = Path.of(configured.get());
            if (!Files.isExecutable(path)) {
                throw new HitKeepException("HITKEEP_NATS_SERVER_BIN=" + path + " is not an executable file");
            }
            return path;
        }
        Optional<Path> system = systemProgram(settings);
        if (system.isPresent()) {
            return system.get();
        }
        Optional<Path> embedded = EmbeddedProgram.unpack(unpackInto);
        embedded.ifPresent(path -> LOG.info(() -> "no nats-server installed; running the one this jar carries (Debian "
                + EmbeddedProgram.version() + ") from " + path));
        return embedded.orElseThrow(() -> new HitKeepException("nats-server was not found (looked at HITKEEP_NATS_SERVER_BIN, "
                + searchPath(settings) + ") and this jar carries none for " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ". Install it with: sudo apt-get install nats-server"));
    }

    /** The first executable {@code nats-server} in the search path. */
    static Optional<Path> systemProgram(Settings settings) {
        for (String entry : searchPath(settings).split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "nats-server"))) {
                return Optional.of(Path.of(entry, "nats-server"));
            }
        }
        return Optional.empty();
    }

    private static String searchPath(Settings settings) {
        return settings.value(Settings.NATS_SERVER_SEARCH_PATH).orElseGet(() ->
                Optional.ofNullable(System.getenv("PATH")).map(path -> path + ":").orElse("") + DEFAULT_SEARCH_AFTER_PATH);
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** The loopback port the server listens on. */
    int port() {
        return port;
    }

    public Path directory() {
        return directory;
    }

    private synchronized void startOnce() {
        Process started;
        try {
            Files.createDirectories(directory.resolve("jetstream"));
            // claim the directory before stopping a leftover, so that a supervisor still alive in this JVM
            // (tests) sees its server was taken over rather than crashed, and does not restart it
            Files.writeString(ownerFile, owner, StandardCharsets.UTF_8);
            stopLeftover();
            // measured at every start: a restart after the disk filled up must not promise JetStream more room
            budget = StorageBudget.forStore(directory, settings);
            Files.writeString(configFile, config(budget), StandardCharsets.UTF_8);
            started = launch(new ProcessBuilder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())));
        } catch (IOException e) {
            throw new HitKeepException("cannot start " + program + ": " + e.getMessage(), e);
        }
        awaitListening(started);
        // only a server that came up replaces the one that died: restartIfDied retries until one does
        process = started;
        // a thread of its own: a restart can block for seconds, and onExit's actions would run on the common
        // pool, which has one worker on a two-core machine and then stalls every other user of it
        Thread.ofPlatform().name("hitkeep-broker-watch").daemon().start(() -> {
            try {
                started.waitFor();
            } catch (InterruptedException e) {
                return;
            }
            closeQuietly(started);
            restartIfDied(started);
        });
        StorageBudget limits = budget;
        LOG.info(() -> "embedded nats-server (pid " + started.children().findFirst().map(ProcessHandle::pid).orElse(started.pid())
                + ") listening on " + url() + "; hit stream up to " + (limits.streamMaxBytes() >> 20) + " MiB, JetStream up to "
                + (limits.maxFileStore() >> 20) + " MiB");
    }

    /**
     * The server's command line: through setpriv, the server is this JVM's child and nothing else runs (the
     * watch shell and its reader took 2.4 MiB resident); else under {@link #WATCH_SCRIPT}.
     */
    private List<String> command() {
        return setpriv.map(path -> List.of(path.toString(), "--pdeathsig", "TERM", "--", program.toString(), "-c",
                        configFile.toString()))
                .orElseGet(() -> List.of("/bin/sh", "-c", WATCH_SCRIPT, "hitkeep-broker", program.toString(), "-c",
                        configFile.toString()));
    }

    /** Starts the process on {@link #STARTER}, the thread that outlives it. */
    private static Process launch(ProcessBuilder builder) throws IOException {
        try {
            return STARTER.submit(builder::start).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new HitKeepException("cannot start " + builder.command().getFirst() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HitKeepException("interrupted while starting nats-server", e);
        }
    }

    private static Optional<Path> parentDeathSignalProgram() {
        for (String directory : List.of("/usr/bin", "/bin")) {
            Path setpriv = Path.of(directory, "setpriv");
            if (Files.isExecutable(setpriv)) {
                try {
                    // an older setpriv has no --pdeathsig and would fail each start: try it once
                    Process probe = launch(new ProcessBuilder(setpriv.toString(), "--pdeathsig", "TERM", "--", "true")
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD));
                    if (probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                        return Optional.of(setpriv);
                    }
                    probe.destroyForcibly();
                } catch (IOException | RuntimeException e) {
                    LOG.fine(() -> setpriv + " cannot be used: " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private String config(StorageBudget limits) {
        // Loopback only; JetStream's file store under the data path. Small memory store: hits go to files.
        return """
                listen: 127.0.0.1:%d
                server_name: hitkeep-embedded
                pid_file: "%s"
                max_payload: 4MB
                jetstream {
                  store_dir: "%s"
                  max_memory_store: 64MB
                  max_file_store: %d
                }
                """.formatted(port, pidFile, directory.resolve("jetstream"), limits.maxFileStore());
    }

    /**
     * Creates the hit stream, or brings its limits to the budget, before any client connects: a work-queue
     * stream of an earlier version can then be replaced by the windowed one without a race with a publisher.
     */
    private void prepareHitStream() {
        Settings withBudget = settings.bytes(Settings.STREAM_MAX_BYTES).isPresent() ? settings
                : settings.with(Settings.STREAM_MAX_BYTES, Long.toString(budget.streamMaxBytes()));
        try (var connection = io.nats.client.Nats.connect(io.nats.client.Options.builder().server(url())
                .connectionTimeout(java.time.Duration.ofSeconds(5)).noReconnect().build())) {
            HitStream.prepare(connection.jetStreamManagement(), withBudget);
        } catch (IOException e) {
            throw new HitKeepException("cannot reach the embedded nats-server at " + url() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HitKeepException("interrupted while preparing the hit stream", e);
        }
    }

    /** The limits the running server was started with. */
    public StorageBudget budget() {
        return budget;
    }

    /**
     * Stops the running server so that it is started afresh, for a server that answers but whose JetStream
     * does not (nats-server 2.9 after its disk was full). The watch thread starts the new one.
     */
    void restartServer(String reason) {
        Process current = process;
        if (closing || current == null || !current.isAlive()) {
            return;
        }
        LOG.warning(() -> "restarting the embedded nats-server: " + reason);
        if (setpriv.isEmpty()) {
            // the watcher in the wrapper stops the server when its stdin closes, with KILL after 10 s
            closeQuietly(current);
            return;
        }
        current.destroy();
        Thread.ofPlatform().name("hitkeep-broker-stop").daemon().start(() -> {
            try {
                if (!current.waitFor(10, TimeUnit.SECONDS)) {
                    current.destroyForcibly();
                }
            } catch (InterruptedException e) {
                current.destroyForcibly();
            }
        });
    }

    private static void closeQuietly(Process wrapper) {
        try {
            wrapper.getOutputStream().close();
        } catch (IOException alreadyClosed) {
            // the wrapper is gone already
        }
    }

    /** A previous JVM may have died without stopping its broker: stop that one, it holds our store. */
    private void stopLeftover() throws IOException {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        String text = Files.readString(pidFile).trim();
        Files.deleteIfExists(pidFile);
        long pid;
        try {
            pid = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> leftover = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(handle -> handle.info().command().map(c -> c.endsWith("nats-server")).orElse(false));
        if (leftover.isEmpty()) {
            return;
        }
        LOG.warning(() -> "stopping nats-server " + pid + " left running by an earlier HitKeep process");
        ProcessHandle handle = leftover.get();
        handle.destroy();
        if (!awaitExit(handle)) {
            handle.destroyForcibly();
            if (!awaitExit(handle)) {
                throw new HitKeepException("nats-server " + pid + " left running by an earlier HitKeep process"
                        + " does not stop; stop it before starting HitKeep");
            }
        }
    }

    /** Polls rather than onExit(), whose completion needs the common pool (see startOnce). */
    private static boolean awaitExit(ProcessHandle handle) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (handle.isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleepQuietly(20);
        }
        return true;
    }

    private void awaitListening(Process started) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                throw new HitKeepException("nats-server exited at start with status " + started.exitValue()
                        + "; see " + logFile);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                sleepQuietly(50);
            }
        }
        started.destroyForcibly();
        throw new HitKeepException("nats-server did not listen on port " + port + " within 30 s; see " + logFile);
    }

    private void restartIfDied(Process died) {
        if (closing) {
            return;
        }
        LOG.warning(() -> "embedded nats-server exited with status " + died.exitValue() + "; restarting it");
        for (int attempt = 1; !closing; attempt++) {
            try {
                synchronized (this) {
                    if (closing || process != died) {
                        return;
                    }
                    if (!ownsDirectory()) {
                        LOG.warning(() -> "another HitKeep process took over " + directory + "; not restarting nats-server");
                        return;
                    }
                    startOnce();
                }
                return;
            } catch (RuntimeException e) {
                int tries = attempt;
                LOG.log(Level.SEVERE, e, () -> "restart " + tries + " of nats-server failed");
                sleepQuietly(Math.min(5000, 200L * attempt));
            }
        }
    }

    /** Whether the last supervisor to start a server in the directory is this one. */
    private boolean ownsDirectory() {
        try {
            return Files.readString(ownerFile, StandardCharsets.UTF_8).equals(owner);
        } catch (IOException unreadable) {
            return true;
        }
    }

    /** Whether the broker process is running. */
    public boolean alive() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /** Stops the broker; JetStream flushes its store on a clean stop. */
    @Override
    public synchronized void close() {
        closing = true;
        JetStreamWatchdog running = watchdog;
        if (running != null) {
            running.close();
        }
        if (process == null) {
            return;
        }
        // TERM to the server, or to the wrapper, which passes it on to the server and waits for it
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        closeQuietly(process);
        LOG.info("embedded nats-server stopped");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new HitKeepException("no free loopback port for nats-server", e);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
