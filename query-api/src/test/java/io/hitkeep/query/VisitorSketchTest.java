package io.hitkeep.query;

import org.junit.jupiter.api.Test;

import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The visitor sketch counts within its error at every size (few visitors, around the switch from sparse to
 * dense, millions), a union equals the sketch of all the ids, and the serialized form reads back as it was.
 */
class VisitorSketchTest {
    /** Three standard errors of 2^12 registers. */
    private static final double ERROR = 3 * 1.04 / Math.sqrt(4096);

    @Test
    void countsWithinItsErrorAtEverySize() {
        for (long count : new long[] {0, 1, 7, 150, 1_000, 1_365, 4_000, 20_000, 300_000, 3_000_000}) {
            VisitorSketch sketch = new VisitorSketch();
            // visitor ids as HitKeep makes them are hashes; small sequential ids are the hard case for the mixing
            LongStream.rangeClosed(1, count).forEach(sketch::add);
            long estimate = sketch.estimate();
            assertEquals(count, estimate, Math.max(count < 200 ? 0.5 : 1, count * ERROR), count + " visitors");
            assertEquals(estimate, new VisitorSketch().add(sketch.serialized()).estimate(), count + " read back");
        }
    }

    @Test
    void aUnionIsTheSketchOfAllItsIds() {
        byte[] monday = VisitorSketch.of(LongStream.range(0, 5_000).boxed().toArray());
        byte[] tuesday = VisitorSketch.of(LongStream.range(2_500, 2_600).boxed().toArray());
        byte[] both = VisitorSketch.of(LongStream.range(0, 5_000).boxed().toArray());
        assertTrue(monday.length > 4096 && tuesday.length < 400, "dense for many visitors, sparse for few");
        assertArrayEquals(both, new VisitorSketch().add(monday).add(tuesday).serialized());
        assertEquals(new VisitorSketch().add(monday).estimate(), new VisitorSketch().add(tuesday).add(monday).estimate());
    }

    @Test
    void twoDenseSketchesMergeAsTheSketchOfBoth() {
        byte[] odd = VisitorSketch.of(LongStream.range(0, 20_000).map(i -> 2 * i + 1).boxed().toArray());
        byte[] even = VisitorSketch.of(LongStream.range(0, 20_000).map(i -> 2 * i).boxed().toArray());
        assertTrue(odd.length > 4096 && even.length > 4096, "both dense");
        assertArrayEquals(VisitorSketch.of(LongStream.range(0, 40_000).boxed().toArray()), new VisitorSketch().add(odd).add(even).serialized());
    }

    /** Eight registers at a time: every pair of ranks a register can hold, in every byte of the word. */
    @Test
    void theWordWiseMaximumIsTheMaximumOfEachByte() {
        for (int a = 0; a <= 53; a++) {
            for (int b = 0; b <= 53; b++) {
                for (int lane = 0; lane < 8; lane++) {
                    long x = (long) a << 8 * lane | 0x0102030405060708L & ~(0xFFL << 8 * lane);
                    long y = (long) b << 8 * lane | 0x0807060504030201L & ~(0xFFL << 8 * lane);
                    long max = VisitorSketch.maxPerByte(x, y);
                    for (int each = 0; each < 8; each++) {
                        assertEquals(Math.max(x >>> 8 * each & 0xFF, y >>> 8 * each & 0xFF), max >>> 8 * each & 0xFF,
                                a + " and " + b + " in byte " + lane + ", byte " + each);
                    }
                }
            }
        }
    }

    @Test
    void anotherFormIsRefused() {
        byte[] dataSketchesPreamble = {10, 1, 7, 12};
        assertFalse(VisitorSketch.readable(dataSketchesPreamble));
        assertThrows(IllegalArgumentException.class, () -> new VisitorSketch().add(dataSketchesPreamble));
        assertTrue(VisitorSketch.readable(VisitorSketch.of(new Object[] {1L})));
    }
}
