package io.hitkeep.query;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Distinct visitors that can be merged: a HyperLogLog sketch of 2^12 registers (Flajolet et al. 2007) read with
 * Ertl's improved estimator ("New cardinality estimation algorithms for HyperLogLog sketches", 2017), which needs
 * no bias tables and is close to linear counting for few visitors. The rollups keep one per local day, week and
 * month for each entry and exit page (other visitors are summed exactly, see {@link RollupAnswers}); a range's
 * visitors of such a page are the union of its months, weeks and days. The relative
 * standard error is about 1.6 % (1.04 / sqrt(4096)); below a few hundred visitors it is nearly exact.
 * <p>
 * Written here rather than taken from Apache DataSketches: no datasketches-java release runs on both JDK 21 and
 * 25 (6.x refuses JDKs after 21, 7.x needs JDK 17's incubator FFM, 8.x JDK 21's preview FFM, 9.x JDK 25).
 * <p>
 * Serialized form: a format byte, then either the non-zero registers as (index: 2 bytes, rank: 1 byte) when
 * that is shorter ({@link #SPARSE}), or all registers, one byte each ({@link #DENSE}). Not thread-safe.
 */
final class VisitorSketch {
    /** log2 of the registers. */
    static final int P = 12;
    private static final int M = 1 << P;
    /** Bits of the hash left for the rank, after the register index. */
    private static final int Q = 64 - P;
    static final byte SPARSE = 'S';
    static final byte DENSE = 'D';
    private static final long TOP_BITS = 0x8080808080808080L;
    /** The registers read and written eight at a time (byte order does not matter for a per-byte maximum). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] registers = new byte[M];

    /** A sketch of these visitor ids, serialized for {@code rollup_*_sketches}. */
    static byte[] of(Object[] visitorIds) {
        VisitorSketch sketch = new VisitorSketch();
        for (Object id : visitorIds) {
            if (id != null) {
                sketch.add(((Number) id).longValue());
            }
        }
        return sketch.serialized();
    }

    /** Whether {@code serialized} is in this class's form (rollups written by an earlier form are rolled again). */
    static boolean readable(byte[] serialized) {
        return serialized.length > 0 && (serialized[0] == SPARSE || serialized[0] == DENSE);
    }

    VisitorSketch add(long visitorId) {
        long hash = mix(visitorId);
        int index = (int) (hash >>> Q);
        int rank = Math.min(Long.numberOfLeadingZeros(hash << P), Q) + 1;
        if (rank > registers[index]) {
            registers[index] = (byte) rank;
        }
        return this;
    }

    /**
     * Adds a serialized sketch: the union keeps each register's larger rank. A 12-month answer merges a few
     * thousand sketches (each list row's months, weeks and days), so both forms are read without a buffer
     * object, and dense ones eight registers at a time ({@link #maxPerByte}).
     */
    VisitorSketch add(byte[] serialized) {
        byte format = serialized.length == 0 ? 0 : serialized[0];
        if (format == DENSE && serialized.length == 1 + M) {
            for (int index = 0; index < M; index += Long.BYTES) {
                LONGS.set(registers, index, maxPerByte((long) LONGS.get(registers, index), (long) LONGS.get(serialized, 1 + index)));
            }
        } else if (format == SPARSE && (serialized.length - 1) % 3 == 0) {
            for (int at = 1; at < serialized.length; at += 3) {
                int index = (serialized[at] & 0xFF) << 8 | serialized[at + 1] & 0xFF;
                byte rank = serialized[at + 2];
                if (index >= M) {
                    throw new IllegalArgumentException("not a visitor sketch: register " + index);
                }
                if (rank > registers[index]) {
                    registers[index] = rank;
                }
            }
        } else {
            throw new IllegalArgumentException("not a visitor sketch: format " + format + ", " + serialized.length + " bytes");
        }
        return this;
    }

    /**
     * The larger of each pair of bytes in two words of eight registers. A rank is at most {@code Q + 1} (53), so
     * every byte's top bit is clear: setting it in {@code a} and subtracting {@code b} cannot borrow from the next
     * byte, and leaves the top bit set exactly where {@code a >= b}; that bit, spread over its byte, picks
     * {@code a} there and {@code b} elsewhere. (About six times as fast as a byte-wise {@code Math.max} here.)
     */
    static long maxPerByte(long a, long b) {
        long aNotSmaller = ((a | TOP_BITS) - b) & TOP_BITS;
        long pickA = (aNotSmaller >>> 7) * 0xFF;
        return a & pickA | b & ~pickA;
    }

    byte[] serialized() {
        int used = 0;
        for (byte register : registers) {
            used += register == 0 ? 0 : 1;
        }
        if (3 * used >= M) {
            ByteBuffer dense = ByteBuffer.allocate(1 + M).put(DENSE).put(registers);
            return dense.array();
        }
        ByteBuffer sparse = ByteBuffer.allocate(1 + 3 * used).put(SPARSE);
        for (int index = 0; index < M; index++) {
            if (registers[index] != 0) {
                sparse.putShort((short) index).put(registers[index]);
            }
        }
        return sparse.array();
    }

    /** Ertl's improved estimator over the histogram of register values. */
    long estimate() {
        int[] counts = new int[Q + 2];
        for (byte register : registers) {
            counts[register]++;
        }
        double z = M * tau(1 - (double) counts[Q + 1] / M);
        for (int k = Q; k >= 1; k--) {
            z = 0.5 * (z + counts[k]);
        }
        z += M * sigma((double) counts[0] / M);
        return Math.round(M * (M / (2 * Math.log(2))) / z);
    }

    private static double sigma(double x) {
        if (x == 1) {
            return Double.POSITIVE_INFINITY;
        }
        double y = 1;
        double z = x;
        double previous;
        do {
            x *= x;
            previous = z;
            z += x * y;
            y += y;
        } while (z != previous);
        return z;
    }

    private static double tau(double x) {
        if (x == 0 || x == 1) {
            return 0;
        }
        double y = 1;
        double z = 1 - x;
        double previous;
        do {
            x = Math.sqrt(x);
            previous = z;
            y *= 0.5;
            z -= (1 - x) * (1 - x) * y;
        } while (z != previous);
        return z / 3;
    }

    /**
     * The visitor id's bits spread over the whole word (the finalizer of MurmurHash3's 64-bit hash): ids may be
     * small or share their high bits, and the register index and rank need bits that look random.
     */
    private static long mix(long value) {
        long hash = value;
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }
}
