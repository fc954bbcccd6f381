package io.hitkeep.app;

import io.hitkeep.core.Settings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmTuningTest {
    /** Out of memory the tuned JVM exits, so that a supervisor starts a fresh one instead of keeping a deaf one. */
    @Test
    void theTunedJvmExitsOnOutOfMemory() {
        assertTrue(JvmTuning.flags(Settings.of(Map.of())).contains("-XX:+ExitOnOutOfMemoryError"));
    }

    /** This JVM takes every flag: an unknown or refused one would stop {@code java -jar hitkeep.jar} at its start. */
    @Test
    void thisJvmTakesEveryFlag() throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(JvmTuning.flags(Settings.of(Map.of())));
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, java.waitFor(), output);
        assertFalse(output.contains("warning"), output);
    }

    /** The allocators' settings are defaults: an operator's own value stays, and the rest of the environment too. */
    @Test
    void theAllocatorSettingsAreDefaultsTheOperatorMayReplace() {
        Map<String, String> tuned = JvmTuning.environment(Map.of("PATH", "/usr/bin", "MALLOC_ARENA_MAX", "4"));
        assertEquals("/usr/bin", tuned.get("PATH"));
        assertEquals("4", tuned.get("MALLOC_ARENA_MAX"));
        assertEquals("dirty_decay_ms:30000,muzzy_decay_ms:30000", tuned.get("DUCKDB_JE_MALLOC_CONF"));
        assertEquals("muzzy_decay_ms:0", JvmTuning.environment(Map.of("DUCKDB_JE_MALLOC_CONF", "muzzy_decay_ms:0"))
                .get("DUCKDB_JE_MALLOC_CONF"));
    }
}
