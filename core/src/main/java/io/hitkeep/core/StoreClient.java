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
 * {@link DomainError.Kind#UNAVAILABLE}. Thread-safe.
 */
public final class StoreClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final Connection connection;

    public StoreClient(Connection connection) {
        this.connection = connection;
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
