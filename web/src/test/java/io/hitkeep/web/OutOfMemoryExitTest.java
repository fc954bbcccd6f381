package io.hitkeep.web;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM started without the single binary's tuning flags (a role's own {@code Main}, {@code java -cp ...})
 * still exits when a thread dies of {@link OutOfMemoryError}, instead of living on deaf with the thread
 * gone. Regression: after an OOM in the listener the process stayed up and never answered again.
 */
class OutOfMemoryExitTest {
    /** The process under test: a launcher, one thread that exhausts the heap, and a main thread that waits forever. */
    public static final class Child {
        public static void main(String[] args) throws InterruptedException {
            new Launcher();
            Thread.ofPlatform().name("exhausts-the-heap").start(() -> {
                List<long[]> held = new ArrayList<>();
                while (true) {
                    held.add(new long[1024 * 1024]);
                }
            });
            new CountDownLatch(1).await();
        }
    }

    @Test
    void aThreadDyingOfOutOfMemoryEndsTheProcess() throws Exception {
        Path output = Files.createTempFile("hk-oom-", ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                Child.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            boolean exited = child.waitFor(60, TimeUnit.SECONDS);
            String log = Files.readString(output);
            assertTrue(exited, "the process is still running after its heap ran out:\n" + log);
            assertEquals(3, child.exitValue(), log);
            assertTrue(log.contains("out of memory in thread exhausts-the-heap"), log);
        } finally {
            child.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }
}
