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
    void anotherFormIsRefused() {
        byte[] dataSketchesPreamble = {10, 1, 7, 12};
        assertFalse(VisitorSketch.readable(dataSketchesPreamble));
        assertThrows(IllegalArgumentException.class, () -> new VisitorSketch().add(dataSketchesPreamble));
        assertTrue(VisitorSketch.readable(VisitorSketch.of(new Object[] {1L})));
    }
}
