package io.hitkeep.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HeapReleaseTest {
    /**
     * The release's collections run with little heap left free, but the JVM's own ratios must be back afterwards:
     * they decide how the heap grows under load, and 10 % would make ingest collect far more often.
     */
    @Test
    void theReleaseSetsTheHeapRatiosBack() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String min = hotspot.getVMOption("MinHeapFreeRatio").getValue();
        String max = hotspot.getVMOption("MaxHeapFreeRatio").getValue();
        try {
            hotspot.setVMOption("MinHeapFreeRatio", "10");
            hotspot.setVMOption("MaxHeapFreeRatio", "30");  // the tuned JVM's flags

            HeapRelease.collectWithLittleFree();

            assertEquals("10", hotspot.getVMOption("MinHeapFreeRatio").getValue());
            assertEquals("30", hotspot.getVMOption("MaxHeapFreeRatio").getValue());
        } finally {
            hotspot.setVMOption("MaxHeapFreeRatio", max);
            hotspot.setVMOption("MinHeapFreeRatio", min);
        }
    }
}
