package io.hitkeep.app;

import io.hitkeep.testing.HttpSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A HitKeep JVM started from the built jar, as an operator would start it: the single binary
 * ({@code java -jar hitkeep.jar}) or one role's {@code Main} from the same jar. Output goes to a log file.
 */
final class JavaProcess implements AutoCloseable {
    static final Path JAR = Path.of("target", "hitkeep.jar").toAbsolutePath();

    private final Process process;
    private final Path log;
    final int port;

    private JavaProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code mainClass} (null: the jar's own) with the environment, and waits for {@code /readyz}. */
    static JavaProcess start(String mainClass, Map<String, String> environment, Path log) {
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        if (mainClass == null) {
            command.addAll(List.of("-jar", JAR.toString()));
        } else {
            command.addAll(List.of("-cp", JAR.toString(), mainClass));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("HITKEEP_"));
        builder.environment().putAll(environment);
        builder.environment().put("HITKEEP_HTTP_PORT", Integer.toString(port));
        try {
            JavaProcess started = new JavaProcess(builder.start(), log, port);
            started.awaitReady();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady() {
        HttpSession client = new HttpSession(port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("process exited with " + process.exitValue() + ": " + tail());
            }
            try {
                if (client.get("/readyz").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            pause(100);
        }
        throw new AssertionError("not ready within 60 s: " + tail());
    }

    String tail() {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 3000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** SIGKILL to the JVM alone, as an out-of-memory kill would do; its nats-server child follows it. */
    void kill9() {
        process.destroyForcibly();
        waitFor();
    }

    long pid() {
        return process.pid();
    }

    private void waitFor() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, then waits for the clean shutdown. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
