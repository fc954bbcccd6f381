package io.hitkeep.app;

import java.util.List;
import java.util.Map;

/**
 * Replaces the running process with another program (POSIX {@code execve}), keeping its process id, so
 * a supervisor or a {@code kill} aimed at this process reaches the replacement. This is the Java 21
 * version: it cannot, and says so; {@code META-INF/versions/22} holds the working one.
 */
final class Exec {
    private Exec() {
    }

    /** Does not return when it works; returns a reason when it cannot. */
    static String replaceProcess(List<String> command, Map<String, String> environment) {
        return "replacing the process needs Java 22 or newer";
    }
}
