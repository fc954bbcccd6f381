package io.hitkeep.gateway;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.Hit;
import io.hitkeep.core.HitCodec;
import io.hitkeep.core.HitStream;
import io.hitkeep.core.Metrics;
import io.hitkeep.core.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Publishes hits to the JetStream stream and tells each caller when the stream has stored its hit.
 * Concurrent requests are coalesced: one thread takes whatever hits are waiting (up to
 * {@code MAX_BATCH}) and publishes them as one message, asynchronously, with at most
 * {@code MAX_IN_FLIGHT} messages awaiting their ack. When the broker is slower than the callers, the
 * queue grows and so do the batches: throughput rises with load instead of latency.
 *
 * <p>Each message carries a message id ({@code Nats-Msg-Id}). An ack that does not come in time is not proof
 * that the message was not stored, so it is published again with the same id, and JetStream keeps one copy
 * (its duplicate window): the gateway's own retries never double a hit. A refusal by JetStream (the stream is
 * full) fails the batch at once. After a failure, new hits are failed without asking the broker (known not
 * stored, so their 503 is honest and comes at once) while one hit at a time, at most every
 * {@link #REFUSE_AFTER_FAILURE}, goes through to find out whether the broker stores again.
 *
 * <p>A hit that comes with its client's own id (a backend's {@code Idempotency-Key}) is never coalesced: it
 * travels alone under that id, so a client that retries it after any answer, a 503 or a lost connection
 * included, has it stored once while the stream's duplicate window lasts.
 * Thread-safe.
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
    /** Per attempt; with the queue limit, the attempts together stay under 15 s. */
    private static final long ATTEMPT_TIMEOUT_MILLIS = 3000;
    private static final int ATTEMPTS = 3;
    private static final long PROBE_TIMEOUT_MILLIS = 1000;
    static final long REFUSE_AFTER_FAILURE_MILLIS = 1000;
    private static final java.time.Duration REFUSE_AFTER_FAILURE = java.time.Duration.ofMillis(REFUSE_AFTER_FAILURE_MILLIS);
    private static final LongAdder DUPLICATES = Metrics.counter("hitkeep_gateway_duplicate_publishes_total", "",
            "Messages published again after a missing ack that JetStream had stored already");
    private static final LongAdder MESSAGES = Metrics.counter("hitkeep_gateway_messages_published_total", "",
            "JetStream messages published (each a batch of hits)");
    private static final LongAdder PUBLISHED = Metrics.counter("hitkeep_gateway_hits_published_total", "",
            "Hits stored in the stream (acknowledged)");
    private static final LongAdder ACCEPTED = Metrics.counter("hitkeep_ingest_accepted_total", "",
            "Hits accepted and stored in the stream");
    private static final LongAdder UNSENT = Metrics.counter("hitkeep_gateway_hits_unsent_total", "",
            "Hits answered 503 without being published, after waiting longer than the queue limit");
    private static final LongAdder UNAVAILABLE = Metrics.counter("hitkeep_ingest_unavailable_total", "",
            "Hits answered with 503 because the stream did not store them in time");
    /**
     * How long a hit may wait in the queue for its message to be sent; older, it is answered 503 unsent. With
     * the attempts after it ({@code ATTEMPTS} x {@code ATTEMPT_TIMEOUT_MILLIS}), every ingest route has its
     * answer within 15 s, and a hit answered 503 this way was never published (a retry cannot double it).
     */
    static final long QUEUE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** {@code messageId} is null for hits that may share a message. */
    private record Pending(Hit hit, String messageId, CompletableFuture<Void> stored, long queuedNanos) {
        boolean waitedTooLong(long now) {
            return now - queuedNanos > QUEUE_LIMIT_NANOS;
        }
    }

    private final JetStream jetStream;
    /** Linked: an array queue of this bound would hold 400 KB of empty slots for good, a server at rest too. */
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(100_000);
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Thread thread;
    /** The broker's message size limit (1 MB by default on a standalone nats-server). */
    private final long maxPayload;
    private volatile boolean running = true;
    /** Unique per publisher: message ids must not collide with another gateway's within the duplicate window. */
    private final String idPrefix = java.util.UUID.randomUUID() + "-";
    private final java.util.concurrent.atomic.AtomicLong messageNumber = new java.util.concurrent.atomic.AtomicLong();
    private volatile long refuseUntilNanos = System.nanoTime();
    /** Set by a failed batch, cleared by a stored one. */
    private volatile boolean failing;
    /** Whether the one hit that tries the broker while it is failing is on its way. */
    private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();

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
        return publish(hit, null);
    }

    /**
     * Publishes the hit and waits until the stream has stored it, as every ingest route must before it answers
     * (the hit is then safe); a {@link DomainError#unavailable} (503) when it is not stored in time.
     * {@code messageId} as in {@link #publish(Hit, String)}: null for hits that may share a message.
     */
    void store(Hit hit, String messageId) {
        try {
            // Untimed: the publisher answers every hit within about 15 s (QUEUE_LIMIT_NANOS, then the attempts).
            // A timed wait would wake the virtual threads' timer thread twice per hit, to arm and to cancel it.
            publish(hit, messageId).get();
        } catch (ExecutionException e) {
            UNAVAILABLE.increment();
            throw DomainError.unavailable("the hit could not be stored right now; retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DomainError.unavailable("shutting down; retry");
        }
        ACCEPTED.increment();
    }

    /**
     * As {@link #publish(Hit)}, the hit alone in a message with the given id when it is not null: JetStream
     * keeps one copy of every message published under one id within {@link HitStream#DUPLICATE_WINDOW}.
     */
    CompletableFuture<Void> publish(Hit hit, String messageId) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        boolean probe = false;
        if (failing) {
            if (System.nanoTime() - refuseUntilNanos < 0 || !probing.compareAndSet(false, true)) {
                // known not stored: the broker refused or did not answer the last hits
                stored.completeExceptionally(new IllegalStateException("the hit stream refused or did not answer the last hits"));
                return stored;
            }
            probe = true;
        }
        if (!running || !queue.offer(new Pending(hit, messageId, stored, System.nanoTime()))) {
            if (probe) {
                probing.set(false);
            }
            stored.completeExceptionally(new IllegalStateException("ingest queue full"));
        } else if (!running) {
            // closed while this hit was queued: the publisher thread may have left already, and nobody else
            // would answer it
            failQueued();
        }
        return stored;
    }

    /** Answers every hit still queued with a failure: the publisher is closed and will not send them. */
    private void failQueued() {
        IllegalStateException closed = new IllegalStateException("the publisher is closed");
        for (Pending pending; (pending = queue.poll()) != null; ) {
            pending.stored().completeExceptionally(closed);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                List<Pending> coalesced = new ArrayList<>(batch.size());
                for (Pending pending : batch) {
                    if (pending.messageId() == null) {
                        coalesced.add(pending);
                    } else {
                        send(List.of(pending), pending.messageId());
                    }
                }
                if (!coalesced.isEmpty()) {
                    send(coalesced, idPrefix + messageNumber.incrementAndGet());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // the callers wait without a timeout of their own: none may be left unanswered
                LOG.severe("publishing " + batch.size() + " hits failed: " + e);
                batch.forEach(pending -> pending.stored().completeExceptionally(e));
                probing.set(false);
            } finally {
                batch.clear();
            }
        }
        failQueued();
    }

    /**
     * Sends the hits as one message once a message may be in flight. Hits that waited longer than the queue
     * limit, before or for the permit, are failed unsent.
     */
    private void send(List<Pending> batch, String messageId) throws InterruptedException {
        batch = unexpired(batch);
        if (batch.isEmpty()) {
            return;
        }
        byte[] message = encode(batch);
        if (message.length > maxPayload && batch.size() > 1) {
            // a batch of unusually large hits (long URLs, many props): publish it as two messages
            send(batch.subList(0, batch.size() / 2), messageId);
            send(batch.subList(batch.size() / 2, batch.size()), idPrefix + messageNumber.incrementAndGet());
            return;
        }
        PublishOptions withId = PublishOptions.builder().messageId(messageId).build();
        inFlight.acquire();
        boolean answeredLater = false;
        try {
            List<Pending> fresh = unexpired(batch);  // the permit may have taken seconds to come
            if (fresh.isEmpty()) {
                return;
            }
            // while the broker fails, the message that tries it gets one short attempt: every caller then has its
            // 503 within about a second, the trying one included
            boolean tryingBroker = failing;
            attempt(fresh, fresh == batch ? message : encode(fresh), withId, 1,
                    tryingBroker ? 1 : ATTEMPTS, tryingBroker ? PROBE_TIMEOUT_MILLIS : ATTEMPT_TIMEOUT_MILLIS);
            answeredLater = true;  // the permit goes back when the attempts are answered
        } finally {
            if (!answeredLater) {
                inFlight.release();
            }
        }
    }

    private static byte[] encode(List<Pending> batch) {
        List<Hit> hits = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            hits.add(pending.hit());
        }
        return HitCodec.encode(hits);
    }

    /** The batch less the hits that waited too long, which are answered 503 here. */
    private List<Pending> unexpired(List<Pending> batch) {
        long now = System.nanoTime();
        if (batch.stream().noneMatch(pending -> pending.waitedTooLong(now))) {
            return batch;
        }
        probing.set(false);  // one of them may have been the hit that was to try the broker again
        List<Pending> fresh = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            if (pending.waitedTooLong(now)) {
                UNSENT.increment();
                pending.stored().completeExceptionally(new IllegalStateException("not sent within the queue limit"));
            } else {
                fresh.add(pending);
            }
        }
        return fresh;
    }

    private void attempt(List<Pending> batch, byte[] message, PublishOptions withId, int attempt, int attempts, long timeoutMillis) {
        CompletableFuture<PublishAck> ack;
        try {
            ack = jetStream.publishAsync(Subjects.HITS, message, withId);
        } catch (RuntimeException e) {
            ack = CompletableFuture.failedFuture(e);
        }
        // The permit goes back only after every caller has its answer: close() waits for all permits, and
        // must not return while a hit it published is still unanswered.
        ack.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((stored, error) -> {
            boolean answered = true;
            try {
                if (error == null) {
                    if (stored.isDuplicate()) {
                        DUPLICATES.increment();
                    }
                    failing = false;
                    probing.set(false);
                    MESSAGES.increment();
                    PUBLISHED.add(batch.size());
                    batch.forEach(pending -> pending.stored().complete(null));
                    return;
                }
                Throwable cause = refusal(error).orElse(error instanceof java.util.concurrent.CompletionException
                        && error.getCause() != null ? error.getCause() : error);
                boolean refused = cause instanceof JetStreamApiException;
                if (!refused && attempt < attempts && running) {
                    // maybe stored, maybe not: the same id again, and JetStream keeps a single copy
                    answered = false;
                    attempt(batch, message, withId, attempt + 1, attempts, timeoutMillis);
                    return;
                }
                refuseUntilNanos = System.nanoTime() + REFUSE_AFTER_FAILURE.toNanos();
                failing = true;
                probing.set(false);
                LOG.warning("publishing " + batch.size() + " hits failed" + (refused ? "" : " after " + attempt + " attempts")
                        + ": " + cause);
                batch.forEach(pending -> pending.stored().completeExceptionally(cause));
            } finally {
                if (answered) {
                    inFlight.release();
                }
            }
        });
    }

    /** JetStream's refusal (the stream is full, say) somewhere in the chain of causes: the message was not stored. */
    private static java.util.Optional<Throwable> refusal(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof JetStreamApiException) {
                return java.util.Optional.of(cause);
            }
        }
        return java.util.Optional.empty();
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
