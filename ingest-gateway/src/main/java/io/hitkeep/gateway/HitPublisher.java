package io.hitkeep.gateway;

import io.hitkeep.core.Hit;
import io.hitkeep.core.HitCodec;
import io.hitkeep.core.HitStream;
import io.hitkeep.core.Metrics;
import io.hitkeep.core.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Publishes hits to the JetStream stream and tells each caller when the stream has stored its hit.
 * Concurrent requests are coalesced: one thread takes whatever hits are waiting (up to
 * {@code MAX_BATCH}) and publishes them as one message, asynchronously, with at most
 * {@code MAX_IN_FLIGHT} messages awaiting their ack. When the broker is slower than the callers, the
 * queue grows and so do the batches: throughput rises with load instead of latency. Thread-safe.
 */
final class HitPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HitPublisher.class.getName());
    private static final int MAX_BATCH = 512;
    /**
     * Few messages in flight make callers queue while an ack is pending, so the next message carries all
     * of them: under load, fewer and larger messages cost the broker and this JVM far less per hit.
     */
    private static final int MAX_IN_FLIGHT = 4;
    private static final long ACK_TIMEOUT_SECONDS = 10;
    private static final LongAdder MESSAGES = Metrics.counter("hitkeep_gateway_messages_published_total", "",
            "JetStream messages published (each a batch of hits)");
    private static final LongAdder PUBLISHED = Metrics.counter("hitkeep_gateway_hits_published_total", "",
            "Hits stored in the stream (acknowledged)");

    private record Pending(Hit hit, CompletableFuture<Void> stored) {
    }

    private final JetStream jetStream;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(100_000);
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Thread thread;
    /** The broker's message size limit (1 MB by default on a standalone nats-server). */
    private final long maxPayload;
    private volatile boolean running = true;

    HitPublisher(Connection nats) {
        try {
            HitStream.ensure(nats.jetStreamManagement());
            this.jetStream = nats.jetStream();
            this.maxPayload = nats.getServerInfo().getMaxPayload();
        } catch (java.io.IOException e) {
            throw new io.hitkeep.core.HitKeepException("cannot reach JetStream: " + e.getMessage(), e);
        }
        this.thread = Thread.ofPlatform().name("hitkeep-publisher").daemon().start(this::run);
    }

    /** Completes when the stream has stored the hit; fails when it could not (the caller answers 503). */
    CompletableFuture<Void> publish(Hit hit) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        if (!running || !queue.offer(new Pending(hit, stored))) {
            stored.completeExceptionally(new IllegalStateException("ingest queue full"));
        }
        return stored;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                inFlight.acquire();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                send(List.copyOf(batch));
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void send(List<Pending> batch) {
        List<Hit> hits = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            hits.add(pending.hit());
        }
        byte[] message = HitCodec.encode(hits);
        if (message.length > maxPayload && batch.size() > 1) {
            // a batch of unusually large hits (long URLs, many props): publish it as two messages
            inFlight.acquireUninterruptibly();
            send(batch.subList(0, batch.size() / 2));
            send(batch.subList(batch.size() / 2, batch.size()));
            return;
        }
        CompletableFuture<?> ack;
        try {
            ack = jetStream.publishAsync(Subjects.HITS, message);
        } catch (RuntimeException e) {
            ack = CompletableFuture.failedFuture(e);
        }
        // The permit goes back only after every caller has its answer: close() waits for all permits, and
        // must not return while a hit it published is still unanswered.
        ack.orTimeout(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((stored, error) -> {
            try {
                if (error != null) {
                    LOG.warning("publishing " + batch.size() + " hits failed: " + error);
                    batch.forEach(pending -> pending.stored().completeExceptionally(error));
                    return;
                }
                MESSAGES.increment();
                PUBLISHED.add(batch.size());
                batch.forEach(pending -> pending.stored().complete(null));
            } finally {
                inFlight.release();
            }
        });
    }

    /** Publishes what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(ACK_TIMEOUT_SECONDS));
            inFlight.tryAcquire(MAX_IN_FLIGHT, ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
