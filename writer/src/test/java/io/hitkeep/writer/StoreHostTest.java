package io.hitkeep.writer;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.testing.NatsBroker;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store host answers the same way whether a request comes over the broker (a split deployment) or from a client
 * in its own process (the single binary): replies, refusals and failures alike; a stopped host leaves a call to the
 * broker, where nobody answers.
 */
class StoreHostTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    record Greeting(String name) {
    }

    record Reply(String text, List<String> seen) {
    }

    static final StoreOperation<Greeting, Reply> GREET = StoreOperation.of("test-host.greet", Greeting.class, Reply.class);
    static final StoreOperation<Greeting, Reply> ELSEWHERE = StoreOperation.of("test-host.elsewhere", Greeting.class, Reply.class);

    @Test
    void aClientInTheProcessGetsWhatTheBrokerWouldHaveBrought() throws Exception {
        Path data = TempFiles.directory("hk-store-host-");
        AtomicReference<Thread> handledOn = new AtomicReference<>();
        StoreHandlers greeter = registry -> registry.handle(GREET, greeting -> {
            handledOn.set(Thread.currentThread());
            return switch (greeting.name()) {
                case "" -> throw DomainError.invalid("a name, please");
                case "busy" -> throw DomainError.unavailable("busy", Duration.ofSeconds(7));
                case "bug" -> throw new IllegalStateException("a bug in the handler, with a secret in its message");
                default -> new Reply("hello " + greeting.name(), List.of(greeting.name()));
            };
        });
        try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())))) {
            StoreHost host = StoreHost.start(broker.connection(), database, Settings.of(Map.of()),
                    new WriteProgress(broker.connection(), Settings.of(Map.of())), List.of(greeter));
            StoreClient overBroker = new StoreClient(broker.connection());
            StoreClient here = StoreClient.answeredHere(broker.connection(), host);
            try {
                assertTrue(host.answers(GREET));
                assertFalse(host.answers(ELSEWHERE), "an operation no handler here registered goes to the broker");

                assertEquals(new Reply("hello ada", List.of("ada")), overBroker.call(GREET, new Greeting("ada")));
                assertNotEquals(Thread.currentThread(), handledOn.get());
                assertEquals(new Reply("hello ada", List.of("ada")), here.call(GREET, new Greeting("ada")));
                assertEquals(Thread.currentThread(), handledOn.get(), "answered on the caller's thread, not through the broker");

                for (StoreClient client : List.of(overBroker, here)) {
                    DomainError invalid = assertThrows(DomainError.class, () -> client.call(GREET, new Greeting("")));
                    assertEquals(DomainError.Kind.INVALID, invalid.kind());
                    assertEquals("a name, please", invalid.getMessage());
                    DomainError busy = assertThrows(DomainError.class, () -> client.call(GREET, new Greeting("busy")));
                    assertEquals(DomainError.Kind.UNAVAILABLE, busy.kind());
                    assertEquals(7, busy.retryAfterSeconds());
                    // a failure is logged where it happened; the caller learns only that it was internal
                    DomainError bug = assertThrows(DomainError.class, () -> client.call(GREET, new Greeting("bug")));
                    assertEquals(DomainError.Kind.INTERNAL, bug.kind());
                    assertEquals("internal error", bug.getMessage());
                }

                DomainError nobody = assertThrows(DomainError.class,
                        () -> here.call(ELSEWHERE, new Greeting("ada"), Duration.ofMillis(300)));
                assertEquals(DomainError.Kind.UNAVAILABLE, nobody.kind());
            } finally {
                host.close();
            }
            assertFalse(host.answers(GREET), "a stopped host answers nothing");
            DomainError stopped = assertThrows(DomainError.class, () -> here.call(GREET, new Greeting("ada"), Duration.ofMillis(300)));
            assertEquals(DomainError.Kind.UNAVAILABLE, stopped.kind());
        } finally {
            TempFiles.deleteTree(data);
        }
    }
}
