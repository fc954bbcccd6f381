package io.hitkeep.core;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gives the heap back to the operating system after a burst of garbage that will not come back soon: the
 * start-up (bot lists, the user-agent parser, migrations) and a password hash (19 MiB of argon2 blocks,
 * which outgrow the small young generation and land in the old one). Left alone, the serial collector
 * keeps the old generation at its peak while the process idles, since it shrinks a generation only at a
 * full collection, and then by 0 %, 10 %, 40 % and 100 % of the excess on four collections in a row. So a
 * release is four full collections, a few seconds after the burst (bursts within that time share one), and
 * then the mapped files' pages the burst left resident ({@link FilePages}: DuckDB's and the JVM's code).
 * During those collections the heap may keep only {@link #RELEASE_MAX_FREE} free (the JVM's flags say 30 %,
 * set back after), so that the old generation shrinks to about what is live; the flags' own ratios still decide
 * how the heap grows under load.
 * Only in the JVM {@code java -jar hitkeep.jar} tunes for itself ({@code -Dhitkeep.tuned=true}: serial
 * collector, {@code MaxHeapFreeRatio} low enough that a shrink happens); a JVM an operator chose is left
 * alone. Thread-safe.
 */
public final class HeapRelease {
    private static final Duration DELAY = Duration.ofSeconds(3);
    /** Serial's damping needs four full collections in a row to shrink by all of the excess. */
    private static final int COLLECTIONS = 4;
    /** Per cent of the heap left free by a release's collections ({@code MaxHeapFreeRatio}, a manageable flag). */
    static final String RELEASE_MAX_FREE = "10";
    private static final AtomicBoolean SCHEDULED = new AtomicBoolean();

    private HeapRelease() {
    }

    /** Releases the heap a few seconds from now, unless a release is already due. */
    public static void soon() {
        if (!Boolean.getBoolean("hitkeep.tuned") || !SCHEDULED.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("heap-release").start(() -> {
            try {
                Thread.sleep(DELAY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                SCHEDULED.set(false);
            }
            collectWithLittleFree();
            FilePages.release();
        });
    }

    /**
     * The release's full collections with {@code MaxHeapFreeRatio} at {@link #RELEASE_MAX_FREE} (and
     * {@code MinHeapFreeRatio} below it, as the JVM requires), then both set back. A JVM that refuses the change runs
     * the collections with its own ratios.
     */
    static void collectWithLittleFree() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String min = hotspot.getVMOption("MinHeapFreeRatio").getValue();
        String max = hotspot.getVMOption("MaxHeapFreeRatio").getValue();
        // set before the first change: a refused second change must not leave the first one standing
        boolean lowered = Integer.parseInt(max) > Integer.parseInt(RELEASE_MAX_FREE);
        try {
            if (lowered) {
                hotspot.setVMOption("MinHeapFreeRatio", "0");
                hotspot.setVMOption("MaxHeapFreeRatio", RELEASE_MAX_FREE);
            }
        } catch (IllegalArgumentException | SecurityException refused) {
            // collect with what was set; the finally puts back both
        }
        try {
            for (int i = 0; i < COLLECTIONS; i++) {
                System.gc();
            }
        } finally {
            if (lowered) {
                hotspot.setVMOption("MaxHeapFreeRatio", max);
                hotspot.setVMOption("MinHeapFreeRatio", min);
            }
        }
    }
}
