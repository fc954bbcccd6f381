package io.hitkeep.app;

import io.hitkeep.core.Settings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmTuningTest {
    /** Out of memory the tuned JVM exits, so that a supervisor starts a fresh one instead of keeping a deaf one. */
    @Test
    void theTunedJvmExitsOnOutOfMemory() {
        assertTrue(JvmTuning.flags(Settings.of(Map.of())).contains("-XX:+ExitOnOutOfMemoryError"));
    }
}
