package io.hitkeep.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One command of the built jar ({@code java -jar hitkeep.jar backup ...}) in its own JVM, with its exit code,
 * standard output and standard error. {@link #start} leaves it running for tests that kill it half-way.
 */
record JarCommand(int exitCode, String out, String err) {
    static JarCommand run(Map<String, String> environment, String... arguments) {
        Started started = start(environment, arguments);
        try {
            if (!started.process().waitFor(180, TimeUnit.SECONDS)) {
                started.process().destroyForcibly();
                throw new AssertionError("hitkeep " + String.join(" ", arguments) + " did not finish in 180 s: " + started.read(started.err()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return new JarCommand(started.process().exitValue(), started.read(started.out()), started.read(started.err()));
    }

    /** A running command: its process and the files its output goes to. */
    record Started(Process process, Path out, Path err) {
        String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Started start(Map<String, String> environment, String... arguments) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", JavaProcess.JAR.toString()));
        command.addAll(List.of(arguments));
        try {
            Path out = Files.createTempFile("hk-cli-", ".out");
            Path err = Files.createTempFile("hk-cli-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            builder.environment().keySet().removeIf(name -> name.startsWith("HITKEEP_"));
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            return new Started(process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
