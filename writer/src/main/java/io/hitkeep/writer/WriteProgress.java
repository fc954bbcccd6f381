package io.hitkeep.writer;

import io.hitkeep.core.Settings;
import io.hitkeep.core.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * How far the hit writer has written the hit stream, so that a read can count what ingest has accepted. A
 * 202 means the hit is in the stream; the writer takes it into the database a micro-batch later (up to
 * {@code batch-wait}). A read that calls {@link #awaitAccepted()} first sees every hit accepted before it:
 * it waits until the writer has committed the stream up to where the stream ended when the read began,
 * and meanwhile the writer commits its batch without waiting for it to fill. Thread-safe.
 */
public final class WriteProgress {
    /** The longest a read waits for the writer: a writer that needs longer is stuck or far behind. */
    static final long LONGEST_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long the broker may take to say where the stream ends: a slow broker must not hold up every read. */
    private static final Duration STREAM_INFO_TIMEOUT = Duration.ofMillis(500);
    private static final Executor AWAITING = command -> Thread.ofVirtual().name("hitkeep-await-accepted").start(command);

    private final Connection nats;
    /**
     * A writer more messages behind than this is catching up (after a restart, or under a burst of traffic): a
     * read does not wait for it. Two batches: the one in hand and the next.
     */
    private final long farBehind;
    /** Made on the first read that waits, and kept: a JetStream context is not free to make. */
    private volatile JetStreamManagement streams;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final AtomicInteger readsWaiting = new AtomicInteger();
    /** The stream sequence of the newest committed message; guarded by {@link #lock}. */
    private long committed;
    /** Whether the writer is writing: a read does not wait for a writer that is starting or has failed. */
    private volatile boolean writing;

    public WriteProgress(Connection nats, Settings settings) {
        this.nats = nats;
        this.farBehind = 2L * HitWriter.batchSize(settings);
    }

    /**
     * Waits until the hits the stream held when this was called are in the database, at most a second.
     * Returns at once when the writer is not writing, is far behind, or the broker cannot say (within half a
     * second) where the stream ends: the read then answers with what is written, as it would without this.
     */
    public void awaitAccepted() {
        if (!writing) {
            return;
        }
        long streamEnd;
        try {
            if (streams == null) {
                streams = nats.jetStreamManagement(JetStreamOptions.builder().requestTimeout(STREAM_INFO_TIMEOUT).build());
            }
            streamEnd = streams.getStreamInfo(Subjects.HIT_STREAM).getStreamState().getLastSequence();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            return;
        }
        lock.lock();
        try {
            if (committed >= streamEnd || streamEnd - committed > farBehind) {
                return;
            }
            readsWaiting.incrementAndGet();
            try {
                long left = LONGEST_WAIT_NANOS;
                while (committed < streamEnd && writing && left > 0) {
                    left = advanced.awaitNanos(left);
                }
            } finally {
                readsWaiting.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code before}, run while {@link #awaitAccepted()} waits (on a virtual thread of its own), then its answer once
     * both are done: the part of a read that does not depend on the newest hits (the site and the caller's rights)
     * need not wait for the writer's commit, which takes 10 to 20 ms while hits arrive. A refusal of {@code before}
     * is thrown at once; the wait then ends by itself, within its second.
     */
    public <T> T awaitAcceptedWhile(Supplier<T> before) {
        if (!writing) {
            return before.get();
        }
        CompletableFuture<Void> accepted = CompletableFuture.runAsync(this::awaitAccepted, AWAITING);
        T answer = before.get();
        accepted.join();
        return answer;
    }

    /** Whether a read waits for the batch in hand: the writer then commits it rather than wait to fill it. */
    boolean readWaiting() {
        return readsWaiting.get() > 0;
    }

    /** The writer starts writing after {@code sequence} (what the database holds). */
    void started(long sequence) {
        advance(sequence);
        writing = true;
    }

    /** The writer committed the stream up to {@code sequence}. */
    void committed(long sequence) {
        advance(sequence);
    }

    /** The writer stopped (closed, or failed and starts over): waiting reads go on with what is written. */
    void stopped() {
        writing = false;
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void advance(long sequence) {
        lock.lock();
        try {
            committed = sequence;
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
