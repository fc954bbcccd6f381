package io.hitkeep.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The real nats-server, with and without JetStream, and, for the failures a healthy server cannot be made to
 * show on demand, a loopback peer that speaks the protocol up to where the failure is. (The wedge itself, a
 * full disk, is {@code BrokerFullDiskTest}'s, in the app module.)
 */
class BrokerCheckTest {
    private static final Duration SERVER_WAIT = Duration.ofMillis(500);
    private static final Duration JETSTREAM_WAIT = Duration.ofSeconds(2);

    @Test
    void aRunningBrokerAnswersWithJetStream(@TempDir Path data) {
        try (BrokerSupervisor supervisor = BrokerSupervisor.start(Settings.of(Map.of(Settings.DATA_PATH, data.toString())))) {
            assertEquals(BrokerCheck.Result.JETSTREAM, BrokerCheck.check(supervisor.port(), SERVER_WAIT, JETSTREAM_WAIT));
        }
    }

    @Test
    void aServerWithoutJetStreamAnswersOnlyThePing(@TempDir Path data) throws Exception {
        Path program = BrokerSupervisor.findProgram(Settings.of(Map.of(Settings.DATA_PATH, data.toString())), data.resolve("bin"));
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Process server = new ProcessBuilder(program.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile()).start();
        try {
            BrokerCheck.Result result = BrokerCheck.Result.NO_ANSWER;
            for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                 result == BrokerCheck.Result.NO_ANSWER && System.nanoTime() < deadline; Thread.sleep(50)) {
                result = BrokerCheck.check(port, SERVER_WAIT, JETSTREAM_WAIT);
            }
            assertEquals(BrokerCheck.Result.SERVER_ONLY, result);
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void nothingListeningOrASilentPeerIsNoAnswer() throws Exception {
        int closed;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = free.getLocalPort();
        }
        assertEquals(BrokerCheck.Result.NO_ANSWER, BrokerCheck.check(closed, SERVER_WAIT, JETSTREAM_WAIT));
        assertEquals(BrokerCheck.Result.NO_ANSWER, withPeer((lines, out) -> {
        }), "accepts, never speaks (a frozen process)");
        assertEquals(BrokerCheck.Result.NO_ANSWER, withPeer((lines, out) -> send(out, "INFO {}\r\n")), "no PONG");
        assertEquals(BrokerCheck.Result.NO_ANSWER, withPeer((lines, out) -> {
            send(out, "INFO {}\r\n");
            awaitLine(lines, "PING");
            send(out, "-ERR 'Authorization Violation'\r\n");
        }));
    }

    /** The wedge: PONG comes, JetStream's reply never does; or it comes as an error, or as a no-responders status. */
    @Test
    void aPingWithoutAJetStreamReplyIsServerOnly() throws Exception {
        assertEquals(BrokerCheck.Result.SERVER_ONLY, withPeer((lines, out) -> answerPing(lines, out)));
        assertEquals(BrokerCheck.Result.SERVER_ONLY, withPeer((lines, out) -> reply(lines, out,
                "{\"type\":\"io.nats.jetstream.api.v1.account_info_response\",\"error\":{\"code\":503}}")));
        assertEquals(BrokerCheck.Result.SERVER_ONLY, withPeer((lines, out) -> {
            String inbox = answerPing(lines, out);
            send(out, "HMSG " + inbox + " 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\n");
        }));
        assertEquals(BrokerCheck.Result.JETSTREAM, withPeer((lines, out) -> reply(lines, out,
                "{\"type\":\"io.nats.jetstream.api.v1.account_info_response\",\"memory\":0}")), "the peer itself is sound");
    }

    private static void reply(BufferedReader lines, OutputStream out, String json) throws IOException {
        String inbox = answerPing(lines, out);
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        send(out, "PING\r\nMSG " + inbox + " 1 " + payload.length + "\r\n" + json + "\r\n");
    }

    /** Sends INFO, answers the PING, and returns the inbox of the JetStream request that follows. */
    private static String answerPing(BufferedReader lines, OutputStream out) throws IOException {
        send(out, "INFO {\"server_id\":\"peer\"}\r\n");
        awaitLine(lines, "PING");
        send(out, "PONG\r\n");
        String subscribe = awaitLine(lines, "SUB ");
        return subscribe.split(" ")[1];
    }

    private static String awaitLine(BufferedReader lines, String start) throws IOException {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith(start)) {
                return line;
            }
        }
        throw new IOException("the check closed before sending " + start);
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private interface Peer {
        void talk(BufferedReader lines, OutputStream out) throws IOException;
    }

    /** The check's result against a one-connection loopback peer that does what {@code peer} says, then waits. */
    private static BrokerCheck.Result withPeer(Peer peer) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread side = Thread.ofVirtual().start(() -> {
                try (Socket socket = listener.accept()) {
                    peer.talk(new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)),
                            socket.getOutputStream());
                    socket.getInputStream().transferTo(OutputStream.nullOutputStream());  // open until the check closes
                } catch (IOException closedByTheCheck) {
                    // the check is done
                }
            });
            BrokerCheck.Result result = BrokerCheck.check(listener.getLocalPort(), SERVER_WAIT, JETSTREAM_WAIT);
            side.join(Duration.ofSeconds(5));
            return result;
        }
    }
}
