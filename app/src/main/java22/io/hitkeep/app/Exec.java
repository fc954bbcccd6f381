package io.hitkeep.app;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;

/**
 * Replaces the running process with another program through POSIX {@code execve}, called with the
 * foreign-function API (final since Java 22). The process id stays the same, so whatever started
 * {@code java -jar hitkeep.jar}, and any signal it sends, reaches the replacement.
 */
final class Exec {
    private Exec() {
    }

    /** Does not return when it works; returns a reason when it cannot. */
    static String replaceProcess(List<String> command, Map<String, String> environment) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle execve = linker.downcallHandle(linker.defaultLookup().find("execve").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment program = arena.allocateFrom(command.getFirst());
                MemorySegment argv = strings(arena, command);
                MemorySegment envp = strings(arena, environment.entrySet().stream()
                        .map(entry -> entry.getKey() + "=" + entry.getValue()).toList());
                int result = (int) execve.invokeExact(program, argv, envp);
                return "execve failed with " + result;
            }
        } catch (Throwable e) {
            return "execve unavailable: " + e;
        }
    }

    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ValueLayout.ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }
}
