package io.hitkeep.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * How store requests, replies and refusals look on NATS: JSON with snake_case names (the project's one
 * mapper, {@link Json#MAPPER}); a refusal is {@code {"error": message, "kind": "not_found"}} (an unavailable
 * one with {@code "retry_after"} seconds). Used by the client and by the writer's host alike, so both ends read
 * what the other wrote. Thread-safe.
 */
public final class StoreWire {
    private StoreWire() {
    }

    public static byte[] write(Object requestOrReply) {
        return Json.bytes(requestOrReply);
    }

    /** The request of {@code operation}, or {@link DomainError.Kind#INVALID} when it is not one. */
    public static <Q> Q readRequest(StoreOperation<Q, ?> operation, byte[] bytes) {
        try {
            return Json.MAPPER.readValue(bytes, operation.requestType());
        } catch (IOException | IllegalArgumentException e) {
            throw DomainError.invalid("malformed " + operation.name() + " request");
        }
    }

    /** A refusal; an unavailable one says when to try again ({@code retry_after}, seconds; readers before it ignore it). */
    public static byte[] refusal(DomainError error) {
        ObjectNode refusal = Json.object().put("error", error.getMessage()).put("kind", error.kind().label());
        if (error.kind() == DomainError.Kind.UNAVAILABLE) {
            refusal.put("retry_after", error.retryAfterSeconds());
        }
        return Json.bytes(refusal);
    }

    /** The reply of {@code operation}; a refusal is thrown as the {@link DomainError} it was. */
    public static <R> R readReply(StoreOperation<?, R> operation, byte[] bytes) {
        JsonNode answer;
        try {
            answer = Json.tree(bytes);
        } catch (IOException e) {
            throw DomainError.unavailable("the store sent a malformed answer");
        }
        if (answer != null && answer.isObject() && answer.has("error") && answer.has("kind")) {
            DomainError.Kind kind = DomainError.Kind.parse(answer.get("kind").asText()).orElse(DomainError.Kind.UNAVAILABLE);
            throw new DomainError(kind, answer.get("error").asText(),
                    answer.path("retry_after").asInt(DomainError.DEFAULT_RETRY_AFTER_SECONDS));
        }
        try {
            return Json.MAPPER.treeToValue(answer, operation.replyType());
        } catch (IOException | IllegalArgumentException e) {
            throw DomainError.unavailable("the store sent a malformed " + operation.name() + " answer");
        }
    }
}
