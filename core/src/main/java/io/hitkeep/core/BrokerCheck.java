package io.hitkeep.core;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One look at a NATS server over a fresh socket, in the client protocol itself: does the server answer a
 * PING, and then does its JetStream API answer a request ({@code $JS.API.INFO})? The broker's watchdog asks
 * this every 2 s. A client library connection would do the same with a handful of threads of its own and
 * 200 KB of buffers for each look; this needs neither, and the socket lives for the moment of the check.
 *
 * <p>The PING goes first, on purpose: nats-server 2.9 whose disk ran full answers PING but never replies to
 * JetStream, and a connection waiting for a JetStream reply there gets no PONG either. It keeps no state:
 * each call has its own socket.
 */
final class BrokerCheck {
    /** How far the server got. */
    enum Result {
        /** No connection, no INFO, or no PONG in time. */
        NO_ANSWER,
        /** It answered PING but JetStream did not answer in time, or answered with an error. */
        SERVER_ONLY,
        /** JetStream answered. */
        JETSTREAM
    }

    /** Longer than any line a server sends before its reply (INFO is about 1 KB), and than an account info reply. */
    private static final int MAX_LINE = 64 * 1024;
    private static final String CONNECT =
            "CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"no_responders\":true,\"protocol\":1,"
                    + "\"name\":\"hitkeep-watchdog\"}\r\nPING\r\n";

    private BrokerCheck() {
    }

    /**
     * @param serverWait    for the connection, the server's INFO and the PONG, each
     * @param jetStreamWait for JetStream's reply after the PONG
     */
    static Result check(int port, Duration serverWait, Duration jetStreamWait) {
        Result reached = Result.NO_ANSWER;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), millis(serverWait));
            socket.setSoTimeout(millis(serverWait));
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            if (!line(in).startsWith("INFO ")) {
                return Result.NO_ANSWER;
            }
            out.write(CONNECT.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (String line = line(in); !line.equals("PONG"); line = line(in)) {
                if (line.startsWith("-ERR")) {
                    return Result.NO_ANSWER;
                }
            }
            reached = Result.SERVER_ONLY;
            socket.setSoTimeout(millis(jetStreamWait));
            String inbox = "_INBOX.hitkeep-watchdog." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            out.write(("SUB " + inbox + " 1\r\nPUB $JS.API.INFO " + inbox + " 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (true) {
                String line = line(in);
                if (line.equals("PING")) {
                    out.write("PONG\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } else if (line.startsWith("MSG ")) {
                    // MSG <subject> <sid> <bytes>, then the payload: JetStream's answer, an error or not
                    int bytes = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
                    String reply = new String(in.readNBytes(bytes), StandardCharsets.UTF_8);
                    return reply.contains("\"error\"") ? Result.SERVER_ONLY : Result.JETSTREAM;
                } else if (line.startsWith("HMSG ") || line.startsWith("-ERR")) {
                    return Result.SERVER_ONLY;  // a status instead of a reply (no responders: JetStream is off)
                }
            }
        } catch (IOException | RuntimeException e) {
            return reached;  // refused, closed, timed out or garbled at that point
        }
    }

    /** The next protocol line without its CRLF; an {@link IOException} at the end of the stream or past {@link #MAX_LINE}. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.size() >= MAX_LINE) {
                throw new IOException(b < 0 ? "closed" : "line too long");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static int millis(Duration wait) {
        return (int) Math.max(1, wait.toMillis());
    }
}
