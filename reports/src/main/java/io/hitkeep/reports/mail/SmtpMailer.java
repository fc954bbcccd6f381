package io.hitkeep.reports.mail;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Properties;

/**
 * Sends mail over SMTP with Angus Mail (Jakarta Mail): one connection for a batch ({@link #connect}), a
 * {@link MailFailure} that says what went wrong for anything the server refuses or that cannot reach it.
 * Thread-safe; each {@link Connection} is used by one thread.
 */
public final class SmtpMailer {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final SmtpSettings settings;
    private final Session session;
    private final InternetAddress from;

    public SmtpMailer(SmtpSettings settings) {
        this.settings = settings;
        Properties properties = new Properties();
        properties.put("mail.smtp.host", settings.host());
        properties.put("mail.smtp.port", Integer.toString(settings.port()));
        properties.put("mail.smtp.auth", Boolean.toString(settings.user().isPresent()));
        properties.put("mail.smtp.connectiontimeout", Long.toString(TIMEOUT.toMillis()));
        properties.put("mail.smtp.timeout", Long.toString(TIMEOUT.toMillis()));
        properties.put("mail.smtp.writetimeout", Long.toString(TIMEOUT.toMillis()));
        switch (settings.tls()) {
            case NONE -> {
            }
            case STARTTLS -> {
                properties.put("mail.smtp.starttls.enable", "true");
                properties.put("mail.smtp.starttls.required", "true");
                properties.put("mail.smtp.ssl.checkserveridentity", "true");
            }
            case TLS -> {
                properties.put("mail.smtp.ssl.enable", "true");
                properties.put("mail.smtp.ssl.checkserveridentity", "true");
            }
        }
        this.session = Session.getInstance(properties);
        try {
            this.from = new InternetAddress(settings.from(), true);
        } catch (AddressException e) {
            throw new io.hitkeep.core.HitKeepException("HITKEEP_SMTP_FROM is not a valid address: " + e.getMessage(), e);
        }
    }

    public SmtpSettings settings() {
        return settings;
    }

    /** Opens a connection to the SMTP server (and signs in); a {@link MailFailure} if it cannot. */
    public Connection connect() {
        try {
            Transport transport = session.getTransport("smtp");
            transport.connect(settings.host(), settings.port(), settings.user().orElse(null), settings.password().orElse(null));
            return new Connection(transport);
        } catch (AuthenticationFailedException e) {
            throw new MailFailure(MailFailure.Kind.AUTHENTICATION, "the SMTP server " + settings.host() + ":" + settings.port()
                    + " refused the sign-in of " + settings.user().orElse("(no user)") + ": " + firstLine(e.getMessage())
                    + "; check HITKEEP_SMTP_USER and HITKEEP_SMTP_PASSWORD", e);
        } catch (MessagingException e) {
            throw new MailFailure(MailFailure.Kind.UNAVAILABLE, "cannot reach the SMTP server " + settings.host() + ":"
                    + settings.port() + " (" + settings.tls().name().toLowerCase(java.util.Locale.ROOT) + "): "
                    + firstLine(rootMessage(e)), e);
        }
    }

    /** One SMTP connection; sends mails one after another. Not thread-safe. */
    public final class Connection implements AutoCloseable {
        private final Transport transport;

        private Connection(Transport transport) {
            this.transport = transport;
        }

        /** Sends the mail; returns once the server has accepted it (its 250 after the data). */
        public void send(OutgoingMail mail) {
            MimeMessage message;
            try {
                message = message(mail);
            } catch (MessagingException e) {
                throw new MailFailure(MailFailure.Kind.MAIL_REFUSED, "cannot build mail " + mail.id() + ": " + e.getMessage(), e);
            }
            try {
                transport.sendMessage(message, message.getAllRecipients());
            } catch (SMTPSenderFailedException e) {
                throw senderRefused(e.getReturnCode(), e.getMessage(), e);
            } catch (SMTPSendFailedException e) {
                if (e.getCommand() != null && e.getCommand().startsWith("MAIL FROM")) {
                    throw senderRefused(e.getReturnCode(), e.getMessage(), e);
                }
                throw refused(mail, e.getReturnCode(), e.getMessage(), e);
            } catch (SendFailedException e) {
                // a refused recipient comes as the next exception, with its own code
                Exception next = e.getNextException();
                if (next instanceof SMTPAddressFailedException address) {
                    throw refused(mail, address.getReturnCode(), address.getMessage(), e);
                }
                throw new MailFailure(MailFailure.Kind.UNAVAILABLE, "sending mail " + mail.id() + " failed: " + firstLine(rootMessage(e)), e);
            } catch (MessagingException e) {
                throw new MailFailure(MailFailure.Kind.UNAVAILABLE, "the SMTP connection failed while sending mail " + mail.id() + ": "
                        + firstLine(rootMessage(e)), e);
            }
        }

        @Override
        public void close() {
            try {
                transport.close();
            } catch (MessagingException ignored) {
                // the mails are sent or not; closing changes nothing
            }
        }
    }

    private MailFailure senderRefused(int code, String response, Exception cause) {
        return new MailFailure(code >= 500 ? MailFailure.Kind.SENDER_REFUSED : MailFailure.Kind.UNAVAILABLE,
                "the SMTP server " + settings.host() + ":" + settings.port() + " refused the sender " + from.getAddress() + " ("
                        + firstLine(response) + ")" + (code >= 500 ? "; check HITKEEP_SMTP_FROM: the server must accept it as a sender" : ""),
                cause);
    }

    private static MailFailure refused(OutgoingMail mail, int code, String response, Exception cause) {
        return new MailFailure(code >= 500 ? MailFailure.Kind.MAIL_REFUSED : MailFailure.Kind.MAIL_DEFERRED,
                "the SMTP server " + (code >= 500 ? "refused" : "put off") + " mail " + mail.id() + " (" + mail.kind() + "): " + firstLine(response), cause);
    }

    private MimeMessage message(OutgoingMail mail) throws MessagingException {
        String messageId = "<hitkeep-mail-" + mail.id() + "@" + settings.senderDomain() + ">";
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                // the same id when a mail is sent again after a crash: clients fold the two into one
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(from);
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
        message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        message.setHeader("Auto-Submitted", "auto-generated");
        for (var header : mail.headers().entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }
        if (mail.html().isEmpty()) {
            message.setText(mail.text(), StandardCharsets.UTF_8.name());
        } else {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.text(), StandardCharsets.UTF_8.name());
            MimeBodyPart html = new MimeBodyPart();
            html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
            MimeMultipart alternatives = new MimeMultipart("alternative");
            alternatives.addBodyPart(text);
            alternatives.addBodyPart(html);
            message.setContent(alternatives);
        }
        message.saveChanges();
        return message;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root == error ? error.getMessage() : error.getMessage() + ": " + root;
        return text == null ? error.getClass().getSimpleName() : text;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline).strip();
    }
}
