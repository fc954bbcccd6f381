package io.hitkeep.query;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * Distinct visitors that can be merged: an Apache DataSketches HLL sketch. The rollups keep one per local day,
 * week and month (and top-list value); a range's visitors are the union of its months, weeks and days. With 2^12
 * registers the relative standard error is about 1.6 % (1.04 / sqrt(4096)); below a few hundred visitors the
 * sketch holds the values themselves and is exact. Not thread-safe.
 */
final class VisitorSketch {
    static final int LG_K = 12;

    static {
        // datasketches-memory 3.0 (what datasketches-java 6.1 runs on) refuses any JDK it does not list (8, 11,
        // 17, 21), though it runs on 25 (through sun.misc.Unsafe, which JDK 24 and later warn about once). It
        // reads java.version once, when its first Memory is made: made here, under a version it knows.
        if (Runtime.version().feature() > 21) {
            synchronized (System.getProperties()) {
                String version = System.getProperty("java.version");
                System.setProperty("java.version", "21.0.0");
                try {
                    org.apache.datasketches.memory.WritableMemory.writableWrap(new byte[8]);
                } finally {
                    System.setProperty("java.version", version);
                }
            }
        }
    }

    private final Union union = new Union(LG_K);

    /** A sketch of these visitor ids, serialized for {@code rollup_*_sketches}. */
    static byte[] of(Object[] visitorIds) {
        HllSketch sketch = new HllSketch(LG_K, TgtHllType.HLL_4);
        for (Object id : visitorIds) {
            if (id != null) {
                sketch.update(((Number) id).longValue());
            }
        }
        return sketch.toCompactByteArray();
    }

    /** Adds a serialized sketch, read where it lies (wrapping it costs less than rebuilding it on the heap). */
    VisitorSketch add(byte[] serialized) {
        union.update(HllSketch.wrap(org.apache.datasketches.memory.Memory.wrap(serialized)));
        return this;
    }

    VisitorSketch add(long visitorId) {
        union.update(visitorId);
        return this;
    }

    byte[] serialized() {
        return union.getResult(TgtHllType.HLL_4).toCompactByteArray();
    }

    long estimate() {
        return Math.round(union.getEstimate());
    }
}
