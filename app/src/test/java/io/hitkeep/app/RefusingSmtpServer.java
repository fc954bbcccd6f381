package io.hitkeep.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An SMTP server that refuses every sender with {@code 553 5.7.1}, as a relay does when the sender address
 * is not one it may send for. GreenMail accepts any {@code MAIL FROM}, so this speaks the few lines of SMTP
 * that a client says before it: greeting, EHLO, MAIL (refused), RSET, NOOP, QUIT.
 */
final class RefusingSmtpServer implements AutoCloseable {
    static final String REFUSAL = "553 5.7.1 Sender address rejected: not owned by this account";

    private final ServerSocket socket;
    private final Thread acceptor;

    RefusingSmtpServer(int port) throws IOException {
        socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(this::accept);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread.ofVirtual().start(() -> converse(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void converse(Socket client) {
        try (client; BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII))) {
            OutputStream out = client.getOutputStream();
            say(out, "220 refusing.test ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.toUpperCase(Locale.ROOT);
                if (command.startsWith("EHLO")) {
                    say(out, "250-refusing.test\r\n250 8BITMIME");
                } else if (command.startsWith("HELO") || command.startsWith("RSET") || command.startsWith("NOOP")) {
                    say(out, "250 OK");
                } else if (command.startsWith("MAIL FROM")) {
                    say(out, REFUSAL);
                } else if (command.startsWith("QUIT")) {
                    say(out, "221 Bye");
                    return;
                } else {
                    say(out, "503 5.5.1 Bad sequence of commands");
                }
            }
        } catch (SocketException gone) {
            // the client hung up
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        acceptor.interrupt();
    }
}
