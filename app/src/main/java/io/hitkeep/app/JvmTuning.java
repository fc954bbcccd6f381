package io.hitkeep.app;

import io.hitkeep.core.Settings;

import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives {@code java -jar hitkeep.jar} deliberate memory settings. A JVM's heap limit cannot change once
 * it runs, and left alone it sizes itself to the machine (a quarter of 24 GB here), so the single
 * binary replaces itself, in the same process, with a JVM started with small, explicit limits. An
 * operator who passes their own {@code -Xmx}, or sets {@code jvm-tuning=off}, keeps their JVM.
 * The replacement itself ({@link Exec}) needs Java 22+ (the foreign-function API); on Java 21 the
 * binary runs untuned and says so.
 */
final class JvmTuning {
    static final String MARKER = "-Dhitkeep.tuned=true";

    private JvmTuning() {
    }

    /** The command to replace this JVM with, or empty when it should run as it is. */
    static Optional<List<String>> tunedCommand(Settings settings, String[] args) {
        List<String> current = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (settings.value("jvm-tuning", "on").equals("off")
                || current.stream().anyMatch(arg -> arg.equals(MARKER) || arg.startsWith("-Xmx")
                || arg.startsWith("-XX:MaxRAM") || arg.startsWith("-XX:MaxHeapSize"))) {
            return Optional.empty();
        }
        Optional<Path> jar = ownJar();
        Optional<String> java = ProcessHandle.current().info().command();
        if (jar.isEmpty() || java.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(java.get());
        command.addAll(flags(settings));
        command.addAll(current);
        command.add(MARKER);
        command.add("-jar");
        command.add(jar.get().toString());
        command.addAll(List.of(args));
        return Optional.of(command);
    }

    /**
     * Serial GC: one collector thread and the smallest footprint, and with a heap this size its pauses
     * are a few milliseconds. The heap starts small and grows only under load; at most 30 % of it stays
     * free after a full collection (the default, 70 %, never shrank it). {@code HeapRelease} gives memory back
     * after start-up and sign-ins with full collections of its own, for which it lowers that to 10 % a moment.
     * Every 5 s the JVM returns the C heap's free pages (DuckDB's and its own) to the system. Out of memory, the JVM exits instead of limping on with dead
     * threads, so that a supervisor restarts it. C1 compiles a method after 1,000 calls instead of 200 (the
     * tier-3 thresholds, five times the default): start-up and a sign-in run thousands of methods a few hundred
     * times each, and their code and profiles would stay in the code cache for good (3 to 4 MiB at rest); under
     * ingest the hot methods pass 1,000 calls within the warm-up either way (BENCHMARKS.md, nineteenth session).
     * The stack's shadow zone is 10 pages instead of 20: every Java method touches the page that far below its
     * frame (a stack bang), so each of the ~50 threads kept 88 KiB of stack resident instead of 48. HotSpot's
     * x86-64 default of 20 is for the old blocking socket write, which put a 64 KiB buffer on the stack, and 10 is
     * its own minimum "for those clients that do not use write socket"; sockets are NIO since JDK 13 and that
     * code has been removed since. The stack itself stays 512 KiB.
     */
    static List<String> flags(Settings settings) {
        List<String> flags = new ArrayList<>(List.of(
                "-Xms16m",
                "-Xmx" + settings.value("jvm-max-heap", "160m"),
                "-XX:+UseSerialGC",
                "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=30",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:MaxMetaspaceSize=128m",
                "-XX:ReservedCodeCacheSize=64m",
                "-XX:MaxDirectMemorySize=64m",
                "-Xss512k",
                "-XX:StackShadowPages=10",
                "-XX:Tier3InvocationThreshold=1000",
                "-XX:Tier3MinInvocationThreshold=500",
                "-XX:Tier3CompileThreshold=10000",
                "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 23) {  // a product flag since 23: an unknown flag stops the JVM
            flags.add("-XX:TrimNativeHeapInterval=5000");
        }
        return flags;
    }

    /**
     * The environment of the tuned JVM: {@code current} with the allocators' settings added where the operator
     * has not set them.
     * <ul>
     * <li>glibc gives each thread that mallocs its own arena; DuckDB's threads would each hold one.</li>
     * <li>DuckDB's own allocator (its bundled jemalloc, read from {@code DUCKDB_JE_MALLOC_CONF} when the library
     * loads) returns freed pages to the system a few seconds after a query. The next dashboard request, a
     * few seconds later, then faults its working memory in again: 2,900 to 6,500 page faults instead of 240 to
     * 1,600 for a 12-month answer, which took up to twice as long (BENCHMARKS.md, thirteenth session). Kept for
     * 30 s, the pages of one burst of requests serve the next; a quiet server still returns them. The container
     * image sets the same value itself, since Compose and Kubernetes pass their own -Xmx.</li>
     * </ul>
     */
    static Map<String, String> environment(Map<String, String> current) {
        Map<String, String> environment = new HashMap<>(current);
        environment.putIfAbsent("MALLOC_ARENA_MAX", "2");
        environment.putIfAbsent("DUCKDB_JE_MALLOC_CONF", "dirty_decay_ms:30000,muzzy_decay_ms:30000");
        return environment;
    }

    private static Optional<Path> ownJar() {
        try {
            Path location = Path.of(JvmTuning.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) && location.toString().endsWith(".jar") ? Optional.of(location) : Optional.empty();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
