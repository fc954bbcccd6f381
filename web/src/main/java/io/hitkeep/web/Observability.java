package io.hitkeep.web;

import io.hitkeep.core.Json;
import io.hitkeep.core.Metrics;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (every registered check passes) and
 * {@code /metrics} (Prometheus text). Every launcher mounts it. Thread-safe once built.
 */
public final class Observability implements HttpFeature {
    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    private final Map<String, Supplier<String>> fields = new LinkedHashMap<>();
    private final Map<String, Supplier<? extends com.fasterxml.jackson.databind.JsonNode>> details = new LinkedHashMap<>();

    /**
     * Health and metrics with the one check every role has: its broker answers a PING within 3 s (the
     * connection's status stays CONNECTED for minutes while a frozen broker does not answer).
     */
    public static Observability withBroker(io.nats.client.Connection nats) {
        return new Observability().check("broker", io.hitkeep.core.BrokerProbe.answers(nats));
    }

    /** Adds a readiness check, e.g. {@code "broker"} or {@code "writer"}. */
    public Observability check(String name, BooleanSupplier ready) {
        checks.put(name, ready);
        return this;
    }

    /**
     * Adds a field that a role reports in both {@code /healthz} and {@code /readyz}, e.g. a writer's
     * {@code "writer": "leader"} or the reason it is not writing.
     */
    public Observability field(String name, Supplier<String> value) {
        fields.put(name, value);
        return this;
    }

    /**
     * Adds a JSON object that {@code /readyz} reports without deciding readiness, e.g. the reports role's
     * jobs with their last outcome: a failing job is to be seen, but must not take the instance out of a
     * load balancer.
     */
    public Observability detail(String name, Supplier<? extends com.fasterxml.jackson.databind.JsonNode> value) {
        details.put(name, value);
        return this;
    }

    private void putFields(ObjectNode body) {
        fields.forEach((name, value) -> body.put(name, value.get()));
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        routing.get("/healthz", (request, response) -> {
            var body = Json.object().put("status", "up");
            putFields(body);
            HttpJson.send(response, 200, body);
        });
        routing.get("/readyz", (request, response) -> {
            var body = Json.object();
            boolean ready = true;
            for (var check : checks.entrySet()) {
                boolean passing = check.getValue().getAsBoolean();
                body.put(check.getKey(), passing ? "up" : "down");
                ready &= passing;
            }
            body.put("status", ready ? "up" : "down");
            putFields(body);
            details.forEach((name, value) -> body.set(name, value.get()));
            HttpJson.send(response, ready ? 200 : 503, body);
        });
        routing.get("/metrics", (request, response) -> {
            response.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            response.send(Metrics.prometheus());
        });
    }
}
