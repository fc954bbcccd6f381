package io.hitkeep.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.Message;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Asks the leading writer over NATS: a JSON request to {@code hk.store.<operation>}, a JSON answer.
 * An answer with an {@code error} field becomes an {@link ApiError} with its {@code status} (404 no such
 * site, 409 conflict...), which the HTTP layer passes on to the client; no answer is a 503.
 * Thread-safe.
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
    public void listen(String subject, java.util.function.Consumer<JsonNode> listener) {
        connection.createDispatcher(message -> {
            try {
                listener.accept(Json.tree(message.getData()));
            } catch (IOException malformed) {
                // not ours to answer: drop it
            }
        }).subscribe(subject);
    }

    public JsonNode call(String operation, Object request) {
        Message reply;
        try {
            reply = connection.requestWithTimeout(Subjects.store(operation), Json.bytes(request), TIMEOUT)
                    .get(TIMEOUT.toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (CancellationException | ExecutionException | TimeoutException e) {
            throw new ApiError(503, "the store is not answering; try again shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted");
        }
        if (reply == null || reply.isStatusMessage()) {
            throw new ApiError(503, "the store is not answering; try again shortly");
        }
        JsonNode answer;
        try {
            answer = Json.tree(reply.getData());
        } catch (IOException e) {
            throw new ApiError(502, "the store sent a malformed answer");
        }
        if (answer.has("error")) {
            throw new ApiError(answer.path("status").asInt(500), answer.get("error").asText());
        }
        return answer;
    }
}
