package io.hitkeep.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Message;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Asks the leading writer over NATS: {@code call(Sites.GET, new SiteRef(scope, 7))} sends the typed
 * request to the operation's subject and answers the typed reply. A refusal comes back as the
 * {@link DomainError} the handler threw (not found, forbidden...); no answer is
 * {@link DomainError.Kind#UNAVAILABLE}. In the single binary the writer is in the same process
 * ({@link #answeredHere}): its handlers are called directly, without the broker's round trip. Thread-safe.
 */
public final class StoreClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final Connection connection;
    private final LocalHost local;

    public StoreClient(Connection connection) {
        this(connection, null);
    }

    private StoreClient(Connection connection, LocalHost local) {
        this.connection = connection;
        this.local = local;
    }

    /**
     * A client for a process that hosts the writer itself (the single binary, always its leader): the operations
     * {@code host} answers are called on the caller's thread, as the writer would call them for a request from the
     * broker, and only the others go over NATS. A broker round trip cost 3 to 17 ms on a 2-core machine, about as much
     * as most handlers take (BENCHMARKS.md, "the store's round trip").
     */
    public static StoreClient answeredHere(Connection connection, LocalHost host) {
        return new StoreClient(connection, host);
    }

    /** The writer's store host, seen from a client in the same process. */
    public interface LocalHost {
        /** Whether it answers {@code operation} now (registered, and not stopped). */
        boolean answers(StoreOperation<?, ?> operation);

        /**
         * The handler's reply, or the {@link DomainError} it refused with; any other failure is logged there and
         * thrown as an internal {@link DomainError}, as a request over the broker gets it.
         */
        <Q, R> R answer(StoreOperation<Q, R> operation, Q request);
    }

    /**
     * Calls {@code listener} with every JSON message published on {@code subject} (core NATS, on the
     * connection's dispatcher thread); malformed messages are ignored.
     */
    public void listen(String subject, Consumer<JsonNode> listener) {
        connection.createDispatcher(message -> {
            try {
                listener.accept(Json.tree(message.getData()));
            } catch (IOException malformed) {
                // not ours to answer: drop it
            }
        }).subscribe(subject);
    }

    public <Q, R> R call(StoreOperation<Q, R> operation, Q request) {
        return call(operation, request, TIMEOUT);
    }

    /** {@link #call(StoreOperation, Object)} for an operation that may take longer than 30 s (a backup). */
    public <Q, R> R call(StoreOperation<Q, R> operation, Q request, Duration timeout) {
        if (local != null && local.answers(operation)) {
            return local.answer(operation, request);
        }
        Message reply;
        try {
            reply = connection.requestWithTimeout(operation.subject(), StoreWire.write(request), timeout)
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (CancellationException | ExecutionException | TimeoutException e) {
            throw DomainError.unavailable("the store is not answering; try again shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DomainError.unavailable("interrupted");
        }
        if (reply == null || reply.isStatusMessage()) {
            throw DomainError.unavailable("the store is not answering; try again shortly");
        }
        return StoreWire.readReply(operation, reply.getData());
    }
}
