package io.hitkeep.core;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageBudgetTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    /** Regression: with a fixed 8 GiB stream, a server with less than about 10.7 GiB free did not start. */
    @Test
    void aOneGibVolumeGetsHalfForTheStream() {
        StorageBudget budget = StorageBudget.plan(GIB, 0, 0, Optional.empty());

        assertEquals(512 * MIB, budget.streamMaxBytes());
        assertEquals(512 * MIB + StorageBudget.ROOM_FOR_BUCKETS, budget.maxFileStore());
    }

    @Test
    void aLargeVolumeStopsAtEightGib() {
        StorageBudget budget = StorageBudget.plan(500 * GIB, 0, 0, Optional.empty());

        assertEquals(8 * GIB, budget.streamMaxBytes());
    }

    @Test
    void whatTheStoreHoldsAlreadyCountsAsItsRoom() {
        StorageBudget budget = StorageBudget.plan(100 * MIB, 300 * MIB, 0, Optional.empty());

        assertEquals(200 * MIB, budget.streamMaxBytes());
    }

    @Test
    void aTinyVolumeStillGetsAStream() {
        StorageBudget budget = StorageBudget.plan(MIB, 0, 0, Optional.empty());

        assertEquals(StorageBudget.SMALLEST_STREAM, budget.streamMaxBytes());
    }

    /** Regression: 64 MiB of room for the buckets put JetStream's limit beyond a 48 MiB volume. */
    @Test
    void onASmallVolumeJetStreamsLimitStaysWithinIt() {
        StorageBudget budget = StorageBudget.plan(48 * MIB, 0, 0, Optional.empty());

        assertEquals(24 * MIB, budget.streamMaxBytes());
        assertEquals(27 * MIB, budget.maxFileStore());
    }

    @Test
    void theSettingWins() {
        StorageBudget budget = StorageBudget.plan(GIB, 0, 0, Optional.of(2 * GIB));

        assertEquals(2 * GIB, budget.streamMaxBytes());
        assertEquals(2 * GIB + StorageBudget.ROOM_FOR_BUCKETS, budget.maxFileStore());
    }

    /** nats-server does not load a stream whose reservation exceeds its limit, and its unwritten hits with it. */
    @Test
    void anExistingLargerStreamStillFitsJetStreamsLimit() {
        StorageBudget budget = StorageBudget.plan(GIB, 0, 8 * GIB, Optional.empty());

        assertEquals(512 * MIB, budget.streamMaxBytes());
        assertEquals(8 * GIB + StorageBudget.ROOM_FOR_BUCKETS, budget.maxFileStore());
    }

    @Test
    void lowSpaceIsUnderATenthOrUnderAHundredMib() {
        assertTrue(JetStreamWatchdog.isLow(50 * MIB, 100 * GIB));
        assertTrue(JetStreamWatchdog.isLow(90 * MIB, GIB));
        assertFalse(JetStreamWatchdog.isLow(300 * MIB, GIB));
        assertFalse(JetStreamWatchdog.isLow(20 * GIB, 100 * GIB));
    }
}
