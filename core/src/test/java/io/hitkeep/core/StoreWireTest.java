package io.hitkeep.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A refusal crosses the store boundary as the error it was: its kind, its message and, for an unavailable
 * part, how long to wait; a refusal from a writer that did not send the wait (a release before it) reads as a
 * moment.
 */
class StoreWireTest {
    private static final StoreOperation<String, String> ECHO = StoreOperation.of("test.echo", String.class, String.class);

    @Test
    void aRefusalReadsBackWithItsKindMessageAndWait() {
        DomainError read = assertThrows(DomainError.class, () -> StoreWire.readReply(ECHO,
                StoreWire.refusal(DomainError.unavailable("catching up", Duration.ofMinutes(1)))));
        assertEquals(DomainError.Kind.UNAVAILABLE, read.kind());
        assertEquals("catching up", read.getMessage());
        assertEquals(60, read.retryAfterSeconds());

        DomainError notFound = assertThrows(DomainError.class, () -> StoreWire.readReply(ECHO,
                StoreWire.refusal(DomainError.notFound("no such site"))));
        assertEquals(DomainError.Kind.NOT_FOUND, notFound.kind());
    }

    @Test
    void aRefusalWithoutAWaitIsAMoment() {
        byte[] older = "{\"error\":\"the stream does not answer\",\"kind\":\"unavailable\"}".getBytes(StandardCharsets.UTF_8);
        DomainError read = assertThrows(DomainError.class, () -> StoreWire.readReply(ECHO, older));
        assertEquals(DomainError.DEFAULT_RETRY_AFTER_SECONDS, read.retryAfterSeconds());
        assertEquals("a reply", StoreWire.readReply(ECHO, StoreWire.write("a reply")));
    }
}
