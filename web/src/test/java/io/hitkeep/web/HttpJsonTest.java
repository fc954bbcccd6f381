package io.hitkeep.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The one place where a domain refusal becomes an HTTP status: every {@link DomainError.Kind} has its
 * status and a JSON body with the handler's message; a body over the limit is a 413; a failure nobody
 * expected is a JSON 500 that shows no stack trace. Through the real routing, without a socket.
 */
@RoutingTest
class HttpJsonTest {
    private final DirectClient client;

    HttpJsonTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        HttpJson.registerErrorHandlers(routing);
        routing.get("/refuse/{kind}", (request, response) -> {
            throw new DomainError(DomainError.Kind.valueOf(request.path().pathParameters().get("kind")), "refused on purpose");
        });
        routing.get("/catching-up", (request, response) -> {
            throw DomainError.unavailable("not yet", java.time.Duration.ofMinutes(1));
        });
        routing.post("/echo", (request, response) -> HttpJson.send(response, 200, HttpJson.object(request, 16)));
        routing.get("/boom", (request, response) -> {
            throw new NullPointerException("a secret detail that must not reach the client");
        });
    }

    @ParameterizedTest
    @EnumSource(DomainError.Kind.class)
    void everyKindHasItsStatusAndTheMessage(DomainError.Kind kind) throws IOException {
        try (Http1ClientResponse response = client.get("/refuse/" + kind.name()).request()) {
            assertEquals(HttpJson.status(kind), response.status().code());
            assertEquals("refused on purpose", json(response).get("error").asText());
            assertEquals(kind == DomainError.Kind.UNAVAILABLE, response.headers().contains(io.helidon.http.HeaderNames.RETRY_AFTER),
                    "a 503 says when to try again");
        }
    }

    @Test
    void aRefusalForLongerSaysHowLong() {
        try (Http1ClientResponse response = client.get("/catching-up").request()) {
            assertEquals(503, response.status().code());
            assertEquals("60", response.headers().get(io.helidon.http.HeaderNames.RETRY_AFTER).get());
        }
        try (Http1ClientResponse response = client.get("/refuse/UNAVAILABLE").request()) {
            assertEquals("1", response.headers().get(io.helidon.http.HeaderNames.RETRY_AFTER).get(), "a moment, by default");
        }
    }

    @Test
    void statusesAreTheContractsAndDistinct() {
        Set<Integer> statuses = new java.util.HashSet<>();
        EnumSet.allOf(DomainError.Kind.class).forEach(kind -> assertEquals(true, statuses.add(HttpJson.status(kind)), kind.name()));
        assertEquals(400, HttpJson.status(DomainError.Kind.INVALID));
        assertEquals(404, HttpJson.status(DomainError.Kind.NOT_FOUND));
        assertEquals(503, HttpJson.status(DomainError.Kind.UNAVAILABLE));
    }

    @Test
    void aBodyOverTheLimitIs413AndMalformedJsonIs400() throws IOException {
        try (Http1ClientResponse response = client.post("/echo").submit("{\"padding\":\"more than sixteen bytes\"}")) {
            assertEquals(Status.REQUEST_ENTITY_TOO_LARGE_413, response.status());
            assertEquals("request body is larger than 16 bytes", json(response).get("error").asText());
        }
        try (Http1ClientResponse response = client.post("/echo").submit("{nope")) {
            assertEquals(Status.BAD_REQUEST_400, response.status());
            assertEquals("request body is not valid JSON", json(response).get("error").asText());
        }
    }

    // a NullPointerException, not the IllegalStateException whose log lines HttpLayerTest counts in the same JVM
    @Test
    void anUnexpectedFailureIsAJson500WithoutDetails() throws IOException {
        try (Http1ClientResponse response = client.get("/boom").request()) {
            assertEquals(500, response.status().code());
            JsonNode body = json(response);
            assertEquals("internal error", body.get("error").asText());
            assertFalse(body.toString().contains("secret"), body.toString());
        }
    }

    private static JsonNode json(Http1ClientResponse response) throws IOException {
        return Json.tree(response.as(byte[].class));
    }
}
