package io.hitkeep.web;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** JSON in and out of Helidon handlers, and the error handlers that keep every error body JSON. */
public final class HttpJson {
    private static final Logger LOG = Logger.getLogger(HttpJson.class.getName());
    private static final String JSON = "application/json";

    private HttpJson() {
    }

    public static void send(ServerResponse response, int status, Object body) {
        response.status(Status.create(status));
        response.header(HeaderNames.CONTENT_TYPE, JSON);
        response.send(body instanceof byte[] bytes ? bytes : Json.bytes(body));
    }

    public static void error(ServerResponse response, int status, String message) {
        var body = Json.object().put("error", message);
        send(response, status, body);
    }

    /**
     * Reads the request body, at most {@code limit} bytes: more is a 413 without reading the rest (the
     * connection is then closed by the server rather than drained).
     */
    public static byte[] body(ServerRequest request, int limit) {
        long declared = request.headers().contentLength().orElse(-1);
        if (declared > limit) {
            throw DomainError.tooLarge("request body is larger than " + limit + " bytes");
        }
        try (InputStream in = request.content().inputStream()) {
            // with a declared length (the server holds the client to it) read exactly that much
            byte[] bytes = in.readNBytes(declared >= 0 ? (int) declared : limit + 1);
            if (bytes.length > limit) {
                throw DomainError.tooLarge("request body is larger than " + limit + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body as a JSON object, or a 400 that says what is wrong with it. */
    public static JsonNode object(ServerRequest request, int limit) {
        byte[] bytes = body(request, limit);
        if (bytes.length == 0) {
            throw DomainError.invalid("request body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = Json.tree(bytes);
        } catch (IOException e) {
            throw DomainError.invalid("request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw DomainError.invalid("request body must be a JSON object");
        }
        return node;
    }

    /** The HTTP status of a domain refusal: the one place where a kind becomes a status. */
    public static int status(DomainError.Kind kind) {
        return switch (kind) {
            case INVALID -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case TOO_MANY_REQUESTS -> 429;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }

    /** Turns every failure into {@code {"error": ...}} with its status; never a stack trace. */
    public static void registerErrorHandlers(HttpRouting.Builder routing) {
        routing.error(DomainError.class, (request, response, error) -> {
            if (error.kind() == DomainError.Kind.TOO_LARGE) {
                // the rest of the body was not read: the connection cannot carry another request
                response.header(HeaderNames.CONNECTION, "close");
            }
            error(response, status(error.kind()), error.getMessage());
        });
        routing.error(HttpException.class, (request, response, error) -> {
            int status = error.status().code();
            if (status < 400) {
                // not an error: a 304 Not Modified from static content's conditional GET, with its ETag; no body
                error.headers().forEach(response::header);
                response.status(error.status()).send();
                return;
            }
            error(response, status, status >= 500 ? "internal error" : error.status().reasonPhrase().toLowerCase());
        });
        routing.error(Throwable.class, (request, response, error) -> {
            LOG.log(Level.SEVERE, error, () -> "unexpected failure on " + request.prologue().method().text() + " "
                    + request.path().path());
            error(response, 500, "internal error");
        });
    }
}
