package io.hitkeep.core;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.nats.client.Connection;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (every registered check passes) and
 * {@code /metrics} (Prometheus text). Every launcher mounts it. Thread-safe once built.
 */
public final class Observability implements HttpFeature {
    static final Duration BROKER_SILENCE_LIMIT = Duration.ofSeconds(3);
    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();

    /**
     * A readiness check that the broker answers: a PING on the role's connection every second, off the request
     * path, must have come back within {@link #BROKER_SILENCE_LIMIT}. The connection's own status stays
     * {@code CONNECTED} for minutes while a frozen or overloaded broker does not answer.
     */
    public static BooleanSupplier brokerAnswers(Connection nats) {
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
                    // not ready until it answers again; flush fails at once while disconnected, so wait a little
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        return () -> System.nanoTime() - lastAnswer.get() < BROKER_SILENCE_LIMIT.toNanos();
    }

    /** Adds a readiness check, e.g. {@code "broker"} or {@code "writer"}. */
    public Observability check(String name, BooleanSupplier ready) {
        checks.put(name, ready);
        return this;
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        routing.get("/healthz", (request, response) -> HttpJson.send(response, 200, Json.object().put("status", "up")));
        routing.get("/readyz", (request, response) -> {
            var body = Json.object();
            boolean ready = true;
            for (var check : checks.entrySet()) {
                boolean passing = check.getValue().getAsBoolean();
                body.put(check.getKey(), passing ? "up" : "down");
                ready &= passing;
            }
            body.put("status", ready ? "up" : "down");
            HttpJson.send(response, ready ? 200 : 503, body);
        });
        routing.get("/metrics", (request, response) -> {
            response.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            response.send(Metrics.prometheus());
        });
    }
}
