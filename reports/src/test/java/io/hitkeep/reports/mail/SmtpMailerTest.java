package io.hitkeep.reports.mail;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Mail;
import io.hitkeep.core.Settings;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SMTP settings and sending against a real SMTP server (GreenMail). */
class SmtpMailerTest {
    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @Test
    void aMailGoesOutAsTextAndHtmlAlternativesWithItsHeadersAndAStableMessageId() throws Exception {
        SmtpMailer mailer = new SmtpMailer(settings(greenMail.getSmtp().getPort()));
        Letters.Rendered reset = Letters.render(new Mail.Letter("password-reset", "ada@example.com",
                Map.of("link", "https://stats.example.com/reset-password?token=abc", "minutes", "60"), 0));
        try (SmtpMailer.Connection connection = mailer.connect()) {
            connection.send(new OutgoingMail(41, "password-reset", "ada@example.com", reset.subject(), reset.text(), reset.html(),
                    Map.of("List-Id", "test <test.example>")));
        }
        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertEquals("Reset your HitKeep password", received.getSubject());
        assertEquals("HitKeep <hitkeep@stats.example.com>", received.getFrom()[0].toString());
        assertEquals("<hitkeep-mail-41@stats.example.com>", received.getMessageID(), "the outbox row names the mail");
        assertEquals("test <test.example>", received.getHeader("List-Id")[0]);
        assertEquals("auto-generated", received.getHeader("Auto-Submitted")[0]);
        Multipart parts = (Multipart) received.getContent();
        assertTrue(parts.getContentType().startsWith("multipart/alternative"), parts.getContentType());
        assertTrue(((String) parts.getBodyPart(0).getContent()).contains("https://stats.example.com/reset-password?token=abc"));
        assertTrue(parts.getBodyPart(1).isMimeType("text/html"));
    }

    @Test
    void anUnreachableServerIsAClearError() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        MailFailure failure = assertThrows(MailFailure.class, () -> new SmtpMailer(settings(closed)).connect());
        assertEquals(MailFailure.Kind.UNAVAILABLE, failure.kind());
        assertTrue(failure.getMessage().startsWith("cannot reach the SMTP server 127.0.0.1:" + closed), failure.getMessage());
    }

    @Test
    void settingsAreCheckedAtStartAndThePasswordIsNeverShown() {
        assertTrue(SmtpSettings.of(Settings.of(Map.of())).isEmpty(), "no host: no mail");
        SmtpSettings defaults = SmtpSettings.of(Settings.of(Map.of("smtp-host", "mail.example.com",
                "smtp-user", "hk", "smtp-password", "s3cret-password"))).orElseThrow();
        assertEquals(587, defaults.port(), "STARTTLS by default, on the submission port");
        assertEquals(SmtpSettings.Tls.STARTTLS, defaults.tls());
        assertEquals("hitkeep@localhost", defaults.from());
        assertTrue(!defaults.toString().contains("s3cret"), defaults.toString());
        assertEquals(465, SmtpSettings.of(Settings.of(Map.of("smtp-host", "h", "smtp-tls", "tls"))).orElseThrow().port());
        assertEquals(25, SmtpSettings.of(Settings.of(Map.of("smtp-host", "h", "smtp-tls", "none"))).orElseThrow().port());
        assertThrows(HitKeepException.class, () -> SmtpSettings.of(Settings.of(Map.of("smtp-host", "h", "smtp-tls", "ssl"))));
        assertThrows(HitKeepException.class, () -> SmtpSettings.of(Settings.of(Map.of("smtp-host", "h", "smtp-user", "only-user"))));
        assertThrows(HitKeepException.class, () -> SmtpSettings.of(Settings.of(Map.of("smtp-host", "h", "smtp-from", "not an address"))));
    }

    private static SmtpSettings settings(int port) {
        return SmtpSettings.of(Settings.of(Map.of("smtp-host", "127.0.0.1", "smtp-port", Integer.toString(port), "smtp-tls", "none",
                "smtp-from", "HitKeep <hitkeep@stats.example.com>"))).orElseThrow();
    }
}
