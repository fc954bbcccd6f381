package io.hitkeep.writer;

import io.hitkeep.core.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.PurgeOptions;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamState;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the hit stream from filling up with hits that are already written. The stream refuses new messages
 * when full (it must not drop hits the writer has not written), and it keeps written ones for a window; on a
 * busy site or a small disk that window would fill it and stop ingest. When the stream is over
 * {@link #TRIM_ABOVE} of its size, the oldest written messages are purged down to {@link #TRIM_TO}, never a
 * message after the committed sequence. Checks at most every {@link #CHECK_EVERY}. Used by the writer thread only.
 */
final class StreamTrimmer {
    private static final Logger LOG = Logger.getLogger(StreamTrimmer.class.getName());
    static final double TRIM_ABOVE = 0.8;
    static final double TRIM_TO = 0.6;
    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);

    private final Connection nats;
    private long nextCheck = System.nanoTime();

    StreamTrimmer(Connection nats) {
        this.nats = nats;
    }

    /** Purges written messages when the stream is nearly full; {@code committed} is the last sequence in the database. */
    void trimIfNearlyFull(long committed) {
        long now = System.nanoTime();
        if (now < nextCheck) {
            return;
        }
        nextCheck = now + CHECK_EVERY.toNanos();
        try {
            JetStreamManagement management = nats.jetStreamManagement();
            var info = management.getStreamInfo(Subjects.HIT_STREAM);
            long purgeBefore = purgeBefore(info.getConfiguration(), info.getStreamState(), committed);
            if (purgeBefore > info.getStreamState().getFirstSequence()) {
                management.purgeStream(Subjects.HIT_STREAM, PurgeOptions.builder().sequence(purgeBefore).build());
                LOG.info(() -> "hit stream nearly full: dropped written messages before sequence " + purgeBefore
                        + " (the window now starts there)");
            }
        } catch (Exception e) {
            // the next check tries again; the stream refusing hits meanwhile is answered with 503
            LOG.log(Level.WARNING, "cannot trim the hit stream: " + e.getMessage());
        }
    }

    /**
     * The first sequence to keep: enough of the oldest messages go to bring the stream to {@link #TRIM_TO} of its
     * size, estimated from the mean message size, but none after {@code committed}. The first sequence itself
     * when nothing needs to go.
     */
    static long purgeBefore(StreamConfiguration configuration, StreamState state, long committed) {
        long maxBytes = configuration.getMaxBytes();
        long first = state.getFirstSequence();
        if (maxBytes <= 0 || state.getMsgCount() == 0 || state.getByteCount() < TRIM_ABOVE * maxBytes) {
            return first;
        }
        double meanBytes = (double) state.getByteCount() / state.getMsgCount();
        long excess = state.getByteCount() - (long) (TRIM_TO * maxBytes);
        long messages = (long) Math.ceil(excess / meanBytes);
        return Math.max(first, Math.min(first + messages, committed + 1));
    }
}
