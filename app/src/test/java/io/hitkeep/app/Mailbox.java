package io.hitkeep.app;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SMTP server for a test (GreenMail) on a port chosen before the server under test starts, so the
 * server can be started, stopped and started again on it (an outage), and helpers to read what arrived.
 */
final class Mailbox implements AutoCloseable {
    private final int port;
    private GreenMail greenMail;

    Mailbox() {
        this.port = freePort();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    Mailbox start() {
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        return this;
    }

    /** Every message received so far. */
    List<MimeMessage> received() {
        return List.of(greenMail.getReceivedMessages());
    }

    /** Waits until {@code count} messages in all arrived (at most 60 s: the outbox retries after at most 30 s). */
    List<MimeMessage> await(int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (received().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " mail(s), got " + received().size());
            }
            sleep(50);
        }
        return received();
    }

    /** The last message to {@code address} whose subject starts so, waiting for it. */
    MimeMessage awaitTo(String address, String subject) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<MimeMessage> to = received().stream().filter(message -> recipient(message).equalsIgnoreCase(address)
                    && subject(message).startsWith(subject)).toList();
            if (!to.isEmpty()) {
                return to.getLast();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no mail to " + address + " arrived; got " + received().size() + " other(s)");
            }
            sleep(50);
        }
    }

    static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The part of that type ({@code text/plain}, {@code text/html}) of a message, or the message's own text. */
    static String part(MimeMessage message, String type) {
        try {
            Object content = message.getContent();
            if (content instanceof String text) {
                return message.isMimeType(type) ? text : "";
            }
            Multipart multipart = (Multipart) content;
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.isMimeType(type)) {
                    return (String) part.getContent();
                }
            }
            return "";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first match of {@code regex}'s first group in the plain-text part. */
    static String find(MimeMessage message, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(part(message, "text/plain"));
        if (!matcher.find()) {
            throw new AssertionError("no " + regex + " in:\n" + part(message, "text/plain"));
        }
        return matcher.group(1);
    }

    static String header(MimeMessage message, String name) {
        try {
            String[] values = message.getHeader(name);
            return values == null ? "" : values[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void stop() {
        if (greenMail != null) {
            greenMail.stop();
            greenMail = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
