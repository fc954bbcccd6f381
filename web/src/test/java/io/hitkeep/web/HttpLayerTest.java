package io.hitkeep.web;

import io.hitkeep.core.Json;
import io.hitkeep.core.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTTP layer of {@link Launcher#serve} against raw sockets: malformed framing gets a JSON 4xx (never a
 * 500, never plain text), slow and idle clients are cut off, limits answer JSON, failures log one line.
 * A server with small limits, so that each case is quick to provoke. The settings are named by their keys,
 * as an operator writes them.
 */
class HttpLayerTest {
    /** How long a test waits for an answer the server owes; a hang until then is the failure being tested for. */
    private static final int ANSWER_WAIT_MILLIS = 30_000;
    private static final int MAX_CONNECTIONS = 40;

    private static Launcher launcher;
    private static WebServer server;
    private static final CountDownLatch RELEASE_SLOW = new CountDownLatch(1);
    private static final List<LogRecord> LOGGED = new ArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (LOGGED) {
                LOGGED.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() {
        launcher = new Launcher();
        server = launcher.serve(Settings.of(Map.of(Settings.HTTP_PORT, "0", "http-host", "127.0.0.1",
                "http-read-timeout", "1s", "http-idle-timeout", "60s",
                "http-max-connections", Integer.toString(MAX_CONNECTIONS),
                "http-max-concurrent-requests", "4", "http-max-header-size", "4KB",
                "http-max-payload", "64KB")), routing -> routing
                .get("/healthz", (request, response) -> HttpJson.send(response, 200, Json.object().put("status", "up")))
                .get("/query", (request, response) -> HttpJson.send(response, 200,
                        Json.object().put("from", request.query().first("from").orElse(""))))
                .post("/echo", (request, response) -> HttpJson.send(response, 200, HttpJson.object(request, 64 * 1024)))
                .post("/small", (request, response) -> HttpJson.send(response, 200, HttpJson.object(request, 1024)))
                .get("/fail", (request, response) -> {
                    throw new IllegalStateException("a bug");
                })
                .get("/slow", (request, response) -> {
                    RELEASE_SLOW.await(ANSWER_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                    HttpJson.send(response, 200, Json.object());
                }));
        // after the server started: starting it configures logging afresh
        Logger.getLogger(HttpJson.class.getName()).addHandler(CAPTURE);
    }

    @AfterAll
    static void stop() {
        RELEASE_SLOW.countDown();
        launcher.close();
        Logger.getLogger(HttpJson.class.getName()).removeHandler(CAPTURE);
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(ANSWER_WAIT_MILLIS);
        return socket;
    }

    /** What came back on a raw connection: the status line's code, the headers and the body, or -1 when closed unanswered. */
    record Answer(int status, String head, String body) {
        JsonNode json() {
            try {
                return Json.tree(body.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** Sends raw bytes and reads one answer (up to the end of its Content-Length body, or the connection's end). */
    static Answer exchange(byte[] request) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return readAnswer(socket.getInputStream());
        }
    }

    static Answer readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        int headEnd = -1;
        int contentLength = -1;
        byte[] buffer = new byte[8192];
        while (true) {
            int read;
            try {
                read = in.read(buffer);
            } catch (SocketException reset) {
                read = -1;
            }
            if (read < 0) {
                break;
            }
            received.write(buffer, 0, read);
            String text = received.toString(StandardCharsets.ISO_8859_1);
            if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
                var length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(text.substring(0, headEnd));
                contentLength = length.find() ? Integer.parseInt(length.group(1)) : -1;
            }
            if (headEnd >= 0 && contentLength >= 0 && received.size() >= headEnd + 4 + contentLength) {
                break;
            }
        }
        String text = received.toString(StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return new Answer(-1, "", "");
        }
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 4);
        return new Answer(Integer.parseInt(head.split(" ", 3)[1]), head, body);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static Stream<Arguments> malformed() {
        String chunkedPost = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        return Stream.of(
                Arguments.of("chunk size zz", bytes(chunkedPost + "zz\r\n{}\r\n0\r\n\r\n")),
                Arguments.of("chunk size over a long", bytes(chunkedPost + "ffffffffffffffffff\r\n{}\r\n0\r\n\r\n")),
                Arguments.of("chunk size line ending in a bare LF", bytes(chunkedPost + "2\n{}\r\n0\r\n\r\n")),
                Arguments.of("header name as method", bytes("USER-AGENT: / HTTP/1.1\r\nHost: x\r\n\r\n")),
                Arguments.of("NUL byte in the method", bytes("GE\0T /healthz HTTP/1.1\r\nHost: x\r\n\r\n")),
                Arguments.of("query not percent-encoding", bytes("GET /query?from=% HTTP/1.1\r\nHost: x\r\n\r\n")),
                Arguments.of("filter not percent-encoding", bytes("GET /query?filter=page:% HTTP/1.1\r\nHost: x\r\n\r\n")),
                Arguments.of("negative content length", bytes("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}")),
                Arguments.of("content length beside chunked", bytes("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")),
                Arguments.of("content length not a number beside chunked", bytes("POST /echo HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Length: ten\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")),
                Arguments.of("asterisk as the target", bytes("GET * HTTP/1.1\r\nHost: x\r\n\r\n")),
                Arguments.of("absolute form without a path", bytes("GET http://x HTTP/1.1\r\nHost: x\r\n\r\n")),
                Arguments.of("content length with a sign", bytes("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: +2\r\n\r\n{}")),
                Arguments.of("content length not a number", bytes("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n{}")),
                Arguments.of("header without colon", bytes("GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n")),
                Arguments.of("headers over the limit", bytes("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(8000) + "\r\n\r\n")),
                Arguments.of("request line over the limit", bytes("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n")),
                Arguments.of("body over the payload limit", bytes("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{}")),
                Arguments.of("bad percent-encoding in the path", bytes("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n")));
    }

    @Test
    void aContentLengthIsOneToEighteenAsciiDigits() {
        for (String length : List.of("0", "2", "007", "123456789012345678")) {
            assertTrue(Launcher.SlowClients.isLength(length), length);
        }
        for (String length : List.of("", "-1", "+2", "1 2", "2.0", "0x10", "1234567890123456789", "\u0661")) {
            assertFalse(Launcher.SlowClients.isLength(length), length);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedRequestsGetAJsonClientError(String name, byte[] request) throws IOException {
        Answer answer = exchange(request);
        assertTrue(answer.status() >= 400 && answer.status() < 500, name + ": " + answer.status() + "\n" + answer.head() + "\n" + answer.body());
        assertTrue(answer.head().toLowerCase().contains("content-type: application/json"), answer.head());
        JsonNode json = answer.json();
        assertNotNull(json, "JSON body: " + answer.body());
        assertTrue(json.hasNonNull("error"), answer.body());
        assertEquals(200, exchange(bytes("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")).status(), "still serving");
    }

    // unread, the rest of the body would make the kernel reset the connection, and the reset can overtake the 413
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Content-Length", "chunked"})
    void aBodyOverARoutesLimitIsReadToItsEndAndAnswered413(String framing) throws IOException {
        String body = "{\"pad\":\"" + "x".repeat(40_000) + "\"}";
        String request = "POST /small HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + (framing.equals("chunked")
                ? "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n"
                : "Content-Length: " + body.length() + "\r\n\r\n" + body);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(bytes(request));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            Answer answer = readAnswer(in);
            assertEquals(413, answer.status(), answer.head());
            assertEquals("request body is larger than 1024 bytes", answer.json().get("error").asText());
            socket.getOutputStream().write(bytes("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertEquals(200, readAnswer(in).status(), "the next request on the connection is answered: the body was read");
        }
    }

    @Test
    void headersThatNeverEndAreCutOffAfterTheReadTimeout() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(bytes("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "));
            socket.getOutputStream().flush();
            assertEquals(-1, readAnswer(socket.getInputStream()).status(), "closed without an answer");
        }
    }

    @Test
    void aBodyShorterThanItsLengthIsCutOffAfterTheReadTimeout() throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(bytes("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"a\":"));
            socket.getOutputStream().flush();
            Answer answer = readAnswer(socket.getInputStream());
            assertTrue(answer.status() == -1 || answer.status() == 400, answer.status() + " " + answer.body());
        }
    }

    @Test
    void anUnreadBodyThatNeverArrivesIsCutOffToo() throws IOException {
        try (Socket socket = connect()) {
            // the route does not read bodies: the server answers, then waits to drain the announced 100 bytes
            socket.getOutputStream().write(bytes("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nab"));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            assertEquals(200, readAnswer(in).status());
            assertEquals(-1, in.read(), "closed once the body did not come");
        }
    }

    @Test
    void nearTheConnectionLimitTheIdleLongestAreClosedAndNewClientsAnswered() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                idle.add(connect());
            }
            Answer health = exchange(bytes("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertEquals(200, health.status(), health.body());
            Socket first = idle.getFirst();
            assertEquals(-1, first.getInputStream().read(), "the connection idle longest was closed by the server");
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    @Test
    void tooManyRequestsAtOnceGetAJson503WithRetryAfter() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            Answer answer = null;
            // each slow request holds one of the four permits until released; a permit a previous test's
            // connection still holds frees up meanwhile, so keep adding slow ones until a request is refused
            for (int attempt = 0; attempt < 200; attempt++) {
                Socket socket = connect();
                socket.getOutputStream().write(bytes("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
                socket.getOutputStream().flush();
                slow.add(socket);
                if (slow.size() < 4) {
                    continue;
                }
                Thread.sleep(50);
                answer = exchange(bytes("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
                if (answer.status() != 200) {
                    break;
                }
            }
            assertEquals(503, answer.status(), answer.body());
            assertTrue(answer.head().toLowerCase().contains("retry-after: 1"), answer.head());
            assertTrue(answer.json().hasNonNull("error"), answer.body());
        } finally {
            RELEASE_SLOW.countDown();
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void aFailingRouteAnswersJson500AndLogsOneLineARequestAtMostTenAMinute() throws IOException {
        synchronized (LOGGED) {
            LOGGED.clear();
        }
        for (int i = 0; i < 30; i++) {
            Answer answer = exchange(bytes("GET /fail HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertEquals(500, answer.status());
            assertTrue(answer.json().hasNonNull("request_id"), answer.body());
            assertTrue(!answer.body().contains("a bug") && !answer.body().contains("Exception"), answer.body());
        }
        List<LogRecord> failures;
        synchronized (LOGGED) {
            failures = LOGGED.stream().filter(record -> record.getMessage().contains("IllegalStateException")).toList();
        }
        assertEquals(10, failures.size(), "rate limited to ten lines a minute");
        for (LogRecord record : failures) {
            assertEquals(Level.SEVERE, record.getLevel());
            assertNull(record.getThrown(), "no stack trace above FINE");
            assertTrue(record.getMessage().matches("request [0-9a-f]+ failed: GET /fail: .*"), record.getMessage());
        }
    }
}
