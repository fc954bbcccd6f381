package io.hitkeep.web;

import io.hitkeep.core.CountedInputStream;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * JSON in and out of Helidon handlers, and the error handlers that keep every error body JSON: those of
 * the routes and those of the HTTP layer itself (malformed framing, limits). Errors are logged as one line
 * with a request id, rate limited.
 */
public final class HttpJson {
    private static final Logger LOG = Logger.getLogger(HttpJson.class.getName());
    private static final String JSON = "application/json";
    /** The error log of the HTTP layer, shared so that its rate limit holds across the whole process. */
    static final ErrorLog ERRORS = new ErrorLog(LOG);

    /** The most of a too-large body that is read for nothing, so that its client hears the 413 (see {@link #body}). */
    static final long DRAINED = 1 << 20;

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
     * Reads the request body, at most {@code limit} bytes: more is a 413. The client, still sending, must
     * hear it: a server that closes with unread bytes makes the kernel reset the connection, and the reset
     * can overtake the answer. So up to {@link #DRAINED} bytes the rest is read for nothing (after the 413
     * when the length was declared: the server drains a request's unread body), and the connection stays
     * open; a larger body is cut off unread.
     */
    public static byte[] body(ServerRequest request, int limit) {
        long declared = declaredLength(request, limit);
        // a client that sends its body slowly or never is cut off after the read timeout
        Launcher.SlowClients.bodyReadStarting();
        try (InputStream in = request.content().inputStream()) {
            // with a declared length (the server holds the client to it) read exactly that much
            byte[] bytes = in.readNBytes(declared >= 0 ? (int) declared : limit + 1);
            if (bytes.length > limit) {
                // only a chunked body gets here: a declared length over the limit is refused before reading
                drain(in, DRAINED - bytes.length);
                throw DomainError.tooLarge("request body is larger than " + limit + " bytes");
            }
            return bytes;
        } catch (DomainError | RequestException e) {
            throw e;
        } catch (IOException | UncheckedIOException | ServerConnectionException e) {
            // the socket is gone (the client left, or was cut off for sending too slowly): nobody to answer
            throw new CloseConnectionException("the client stopped sending its request body", e);
        } catch (RuntimeException e) {
            // the client went away or broke the framing: Helidon's chunk parser throws what it meets (a
            // NumberFormatException for a size of zz, an IncorrectNewLineException for a bare LF): a 400 (if anyone still listens) and the connection closes
            throw RequestException.builder()
                    .type(DirectHandler.EventType.BAD_REQUEST)
                    .status(Status.BAD_REQUEST_400)
                    .setKeepAlive(false)
                    .message("the request body could not be read: " + e.getMessage())
                    .cause(e)
                    .build();
        } finally {
            Launcher.SlowClients.bodyReadFinished();
        }
    }

    /** Reads and drops what {@code in} still holds, at most {@code most} bytes. */
    private static void drain(InputStream in, long most) throws IOException {
        byte[] buffer = new byte[8192];
        for (long left = most; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                return;
            }
            left -= n;
        }
    }

    /**
     * The request body as a stream, for a body too large to hold (an import's upload): at most {@code limit}
     * bytes, more is a 413 whether the client declared its length or sends it in chunks. The client must
     * keep sending: each read must get something within the read timeout, so a slow but steady upload goes
     * through and one that stalls is cut off. Read it on the handler's thread; not thread-safe.
     */
    public static InputStream bodyStream(ServerRequest request, long limit) {
        declaredLength(request, limit);
        return new LimitedBody(request.content().inputStream(), limit);
    }

    /** The body's declared length (-1: none, chunked); over {@code limit} a 413 before anything is read. */
    private static long declaredLength(ServerRequest request, long limit) {
        long declared;
        try {
            declared = request.headers().contentLength().orElse(-1);
        } catch (RuntimeException e) {
            // the HTTP layer refuses such lengths before a route runs; this keeps a route safe on its own
            throw DomainError.invalid("Content-Length is not a number");
        }
        if (declared > limit) {
            throw DomainError.tooLarge("request body is larger than " + limit + " bytes");
        }
        return declared;
    }

    /** See {@link #bodyStream}. */
    private static final class LimitedBody extends CountedInputStream {
        private final long limit;
        private long read;

        LimitedBody(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            Launcher.SlowClients.bodyReadStarting();
            try {
                return super.read(buffer, offset, length);
            } catch (UncheckedIOException | ServerConnectionException e) {
                throw new CloseConnectionException("the client stopped sending its request body", e);
            } finally {
                Launcher.SlowClients.bodyReadFinished();
            }
        }

        @Override
        protected void counted(int bytes) {
            read += bytes;
            if (read > limit) {
                throw DomainError.tooLarge("request body is larger than " + limit + " bytes");
            }
        }
    }

    /**
     * A path parameter that names a stored thing by its number ({@code /api/sites/{id}}): anything but a
     * positive whole number is "no such thing", the same answer as an id that does not exist.
     */
    public static int pathId(ServerRequest request, String parameter, String notFound) {
        try {
            int value = Integer.parseInt(request.path().pathParameters().get(parameter));
            if (value <= 0) {
                throw DomainError.notFound(notFound);
            }
            return value;
        } catch (NumberFormatException e) {
            throw DomainError.notFound(notFound);
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
            if (error.kind() == DomainError.Kind.TOO_LARGE && !drainable(request)) {
                // the rest of the body is too much to read for nothing: the connection cannot carry another request
                response.header(HeaderNames.CONNECTION, "close");
            }
            if (error.kind() == DomainError.Kind.UNAVAILABLE) {
                // a part is down for a moment (the stream, the store), or longer (rollups catching up): say when
                // to try again
                response.header(HeaderNames.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
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
            if (status >= 500) {
                failed(request, response, error);
                return;
            }
            error(response, status, error.status().reasonPhrase().toLowerCase());
        });
        routing.error(Throwable.class, HttpJson::failed);
    }

    /** Whether what is left of the request's body is read to its end after the answer (see {@link #body}). */
    private static boolean drainable(ServerRequest request) {
        if (request.content().consumed()) {
            return true;
        }
        long declared = request.headers().contentLength().orElse(-1);
        return declared >= 0 && declared <= DRAINED;
    }

    /** A failure of ours: 500, logged as one line with the request id the client also gets. */
    private static void failed(ServerRequest request, ServerResponse response, Throwable error) {
        String requestId = requestId();
        ERRORS.log(Level.SEVERE, error.getClass().getName(), "request " + requestId + " failed: "
                + request.prologue().method().text() + " " + printable(request.path().path()) + ": " + describe(error), error);
        send(response, 500, Json.object().put("error", "internal error").put("request_id", requestId));
    }

    /**
     * Refuses a request target that is no path ({@code GET *}, an authority) and a query string that is not
     * valid percent-encoding ({@code ?from=%}) before a route sees them: routes take the path for granted,
     * and Helidon decodes the query lazily, so it would throw inside the handler.
     */
    static void refuseMalformedTarget(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String path = request.path().path();
        if (path == null || !path.startsWith("/")) {
            throw DomainError.invalid("the request target must be a path");
        }
        try {
            request.query().toMap();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw DomainError.invalid("the query string is not valid percent-encoding");
        }
        chain.proceed();
    }

    /**
     * The answers of the HTTP layer itself, before or outside routing: a request line, header or chunk that
     * cannot be parsed, a body over the limit, too many requests at once. JSON like every other error, never
     * a 500 (a client's bytes caused it), never an echo of the request, and logged as one line.
     */
    static DirectHandlers directHandlers() {
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        DirectHandler json = new FrameworkErrors();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, json);
        }
        return handlers.build();
    }

    private static final class FrameworkErrors implements DirectHandler {
        @Override
        public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                        ServerResponseHeaders responseHeaders, Throwable thrown, System.Logger logger) {
            int status = defaultStatus.code();
            if (status >= 500 && status != 503) {
                // the connection could not parse what the client sent: that is the client's error
                status = 400;
            }
            String requestId = requestId();
            ERRORS.log(status == 503 ? Level.WARNING : Level.INFO, "http-" + status, "request " + requestId + " refused with "
                    + status + ": " + printable(request.method()) + " " + printable(request.path()) + ": " + describe(thrown), thrown);
            return answer(status, responseHeaders, requestId);
        }

        @Override
        public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                        ServerResponseHeaders responseHeaders, String message) {
            return answer(defaultStatus.code() >= 500 && defaultStatus.code() != 503 ? 400 : defaultStatus.code(),
                    responseHeaders, requestId());
        }

        private static TransportResponse answer(int status, ServerResponseHeaders responseHeaders, String requestId) {
            String message = switch (status) {
                case 400 -> "malformed request";
                case 413 -> "request body is too large";
                case 414 -> "request line is too long";
                case 431 -> "request headers are too large";
                case 503 -> "too many requests in progress; retry later";
                default -> Status.create(status).reasonPhrase().toLowerCase();
            };
            TransportResponse.Builder answer = TransportResponse.builder()
                    .status(Status.create(status))
                    .headers(responseHeaders)
                    .header(HeaderNames.CONTENT_TYPE, JSON)
                    .entity(Json.bytes(Json.object().put("error", message).put("request_id", requestId)));
            if (status == 503) {
                answer.header(HeaderNames.RETRY_AFTER, "1");
            }
            return answer.build();
        }
    }

    private static String requestId() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    }

    /** The error's type and the first line of its message (Helidon appends a hex dump of the request), and its cause's. */
    private static String describe(Throwable error) {
        if (error == null) {
            return "no cause";
        }
        String message = error.getMessage() == null ? "" : error.getMessage().lines().findFirst().orElse("").strip();
        String text = error.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + printable(message));
        Throwable cause = error.getCause();
        return cause == null || cause == error ? text : text + ", caused by " + describe(cause);
    }

    /** Text from a client made safe for one log line: no control characters, at most 200 characters. */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return text.length() > 200 ? out + "..." : out.toString();
    }

    /**
     * A log for errors that clients can cause at will: one line each, the stack trace only at FINE, and at
     * most {@link #LINES_PER_MINUTE} lines of one kind a minute (the next line that gets through says how
     * many were left out), so a client cannot flood the log. Thread-safe.
     */
    static final class ErrorLog {
        static final int LINES_PER_MINUTE = 10;
        private static final long MINUTE_NANOS = 60_000_000_000L;
        private final Logger logger;
        private final Map<String, Window> windows = new ConcurrentHashMap<>();

        ErrorLog(Logger logger) {
            this.logger = logger;
        }

        private static final class Window {
            long start = System.nanoTime();
            int lines;
            int leftOut;
        }

        /** Logs one line of a kind (a bounded set of names: an exception class, a status). */
        void log(Level level, String kind, String line, Throwable error) {
            if (!logger.isLoggable(level)) {
                return;
            }
            Window window = windows.computeIfAbsent(kind, name -> new Window());
            int leftOutBefore = 0;
            synchronized (window) {
                long now = System.nanoTime();
                if (now - window.start >= MINUTE_NANOS) {
                    leftOutBefore = window.leftOut;
                    window.start = now;
                    window.lines = 0;
                    window.leftOut = 0;
                }
                if (window.lines >= LINES_PER_MINUTE) {
                    window.leftOut++;
                    return;
                }
                window.lines++;
            }
            logger.log(level, leftOutBefore == 0 ? line
                    : line + " (" + leftOutBefore + " more like it in the minute before were not logged)");
            if (error != null && logger.isLoggable(Level.FINE)) {
                logger.log(Level.FINE, "stack trace of: " + line, error);
            }
        }
    }
}
