package io.hitkeep.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The malformed requests of issue 16 against the single binary's real routes, on raw sockets (an HTTP
 * client refuses to send most of them): each answered 500 with a stack trace in the log before; now a
 * JSON 400, and the server stays ready.
 */
class HostileRequestsTest {
    @RegisterExtension
    static final SingleBinary SERVER = new SingleBinary();
    private static String cookie;

    @BeforeAll
    static void signIn() throws IOException {
        SERVER.owner().createSite("hostile.example", "UTC");
        String body = "{\"email\":\"owner@example.com\",\"password\":\"correct horse battery\"}";
        String answer = exchange("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        Matcher token = Pattern.compile("hk_token=([^;\\s]+)").matcher(answer);
        assertTrue(token.find(), answer);
        cookie = token.group(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "from not percent-encoding     | /api/sites/1/stats?from=%",
            "filter not percent-encoding   | /api/sites/1/stats?filter=page:%",
            "a date in the year 999999999  | /api/sites/1/stats?from=%2B999999999-12-31",
            "a range to the year 999999999 | /api/sites/1/stats?from=2026-01-01&to=%2B999999999-12-31",
            "a date before 1970            | /api/sites/1/stats?from=-999999999-01-01",
    })
    void statsQueriesThatCannotBeDecodedOrComputedAreA400(String name, String target) throws IOException {
        String answer = exchange("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: hk_token=" + cookie + "\r\n\r\n");
        assertJsonError(400, answer);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "chunk size zz                | zz",
            "chunk size over a long       | ffffffffffffffffff",
    })
    void aBrokenChunkedIngestIsA400(String name, String chunkSize) throws IOException {
        String answer = exchange("POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + chunkSize + "\r\n{}\r\n0\r\n\r\n");
        assertJsonError(400, answer);
        assertEquals(200, SERVER.owner().get("/readyz").status(), "still ready");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a header name as the method  | USER-AGENT: / HTTP/1.1",
            "a NUL byte in the method     | GE{NUL}T /healthz HTTP/1.1",
    })
    void aBrokenRequestLineIsA400(String name, String requestLine) throws IOException {
        assertJsonError(400, exchange(requestLine.replace("{NUL}", "\0") + "\r\nHost: 127.0.0.1\r\n\r\n"));
        assertEquals(200, SERVER.owner().get("/readyz").status(), "still ready");
    }

    private static void assertJsonError(int status, String answer) throws IOException {
        assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
        assertTrue(answer.toLowerCase().contains("content-type: application/json"), answer);
        JsonNode body = new ObjectMapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertTrue(body.hasNonNull("error"), answer);
        assertTrue(!answer.contains("Exception") && !answer.contains("\tat "), "no stack trace: " + answer);
    }

    /** One request on its own connection; the answer up to the end of its body. */
    private static String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", SERVER.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (true) {
                int read = in.read(buffer);
                if (read < 0) {
                    break;
                }
                received.write(buffer, 0, read);
                String text = received.toString(StandardCharsets.UTF_8);
                int end = text.indexOf("\r\n\r\n");
                Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
                if (end >= 0 && length.find() && received.size() >= end + 4 + Integer.parseInt(length.group(1))) {
                    break;
                }
            }
            return received.toString(StandardCharsets.UTF_8);
        }
    }
}
