package io.hitkeep.core;

import io.nats.client.Connection;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A readiness check that the broker answers: a PING on the role's connection every second, off the request
 * path, must have come back within {@link #SILENCE_LIMIT}. The connection's own status stays {@code CONNECTED}
 * for minutes while a frozen or wedged broker does not answer, so it cannot serve as the check. One daemon
 * thread per probe, ending when the connection is closed; thread-safe.
 */
public final class BrokerProbe {
    static final Duration SILENCE_LIMIT = Duration.ofSeconds(3);

    private BrokerProbe() {
    }

    /** Starts probing {@code nats}; the supplier is true while the broker has answered lately. */
    public static BooleanSupplier answers(Connection nats) {
        AtomicLong lastAnswer = new AtomicLong(System.nanoTime());
        Thread.ofPlatform().name("hitkeep-broker-probe").daemon().start(() -> {
            while (nats.getStatus() != Connection.Status.CLOSED) {
                try {
                    nats.flush(Duration.ofSeconds(1));
                    lastAnswer.set(System.nanoTime());
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception noAnswer) {
                    // flush fails at once while disconnected: wait a little before the next try
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        return () -> System.nanoTime() - lastAnswer.get() < SILENCE_LIMIT.toNanos();
    }
}
