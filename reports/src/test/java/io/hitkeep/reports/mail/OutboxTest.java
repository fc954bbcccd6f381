package io.hitkeep.reports.mail;

import io.hitkeep.core.Mail;
import io.hitkeep.core.Settings;
import io.hitkeep.testing.TempFiles;
import io.hitkeep.writer.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outbox in a real hitkeep.db: claims, the crash window, refusals, expiry. */
class OutboxTest {
    private Path data;
    private Database database;
    private MovableClock clock;
    private Outbox outbox;

    /** A clock the test moves forward. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-05-11T08:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void open() {
        data = TempFiles.directory("hk-outbox-");
        database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())));
        clock = new MovableClock();
        outbox = new Outbox(database, clock);
    }

    @AfterEach
    void close() {
        database.close();
        TempFiles.deleteTree(data);
    }

    private long queueReset(String to, long expiresAt) {
        return outbox.queue(new Mail.Letter("password-reset", to, Map.of("link", "https://x.example/reset-password?token=secret-" + to,
                "minutes", "60"), expiresAt)).id();
    }

    @Test
    void aClaimedMailIsNotClaimedAgainUntilItsSenderCouldHaveDied() {
        long id = queueReset("ada@example.com", 0);
        Outbox.Claimed first = outbox.claim(new Outbox.Claim(10));
        assertEquals(1, first.mails().size());
        assertEquals(id, first.mails().getFirst().id());
        assertTrue(first.mails().getFirst().text().contains("secret-ada@example.com"));
        assertTrue(outbox.claim(new Outbox.Claim(10)).mails().isEmpty(), "a second sender gets nothing while the claim holds");

        // the sender died between the SMTP server's 250 and marking it sent: after the hold, it goes again
        clock.advance(Outbox.CLAIM_HOLD.plusSeconds(1));
        Outbox.Claimed again = outbox.claim(new Outbox.Claim(10));
        assertEquals(id, again.mails().getFirst().id(), "the same row, so the same Message-ID");
        assertTrue(outbox.sent(new Outbox.MailRef(id)).changed());
        assertFalse(outbox.sent(new Outbox.MailRef(id)).changed(), "marked once");
        clock.advance(Outbox.CLAIM_HOLD.plusSeconds(1));
        assertTrue(outbox.claim(new Outbox.Claim(10)).mails().isEmpty(), "a sent mail is never claimed again");
        assertEquals(1, outbox.counts().of("sent"));
        String body = database.read(sql -> {
            try (var rows = sql.connection().createStatement().executeQuery("SELECT text_body || html_body FROM mail_outbox")) {
                rows.next();
                return rows.getString(1);
            }
        });
        assertEquals("", body, "the link is not kept once the mail is sent");
    }

    @Test
    void aMailPutBackWaitsAndOneRefusedForGoodIsNeverSent() {
        long later = queueReset("later@example.com", 0);
        long never = queueReset("never@example.com", 0);
        outbox.claim(new Outbox.Claim(10));
        outbox.refused(new Outbox.Refusal(later, "451 try later", false, 60));
        outbox.refused(new Outbox.Refusal(never, "550 no such user", true, 0));
        assertTrue(outbox.claim(new Outbox.Claim(10)).mails().isEmpty(), "not due yet, and given up");
        clock.advance(Duration.ofSeconds(61));
        Outbox.Claimed due = outbox.claim(new Outbox.Claim(10));
        assertEquals(1, due.mails().size());
        assertEquals(later, due.mails().getFirst().id());
        assertEquals(1, outbox.counts().of("failed"));
    }

    @Test
    void aResetMailThatWasNotSentWithinItsHourIsDropped() {
        queueReset("slow@example.com", clock.instant().plus(Duration.ofHours(1)).getEpochSecond());
        clock.advance(Duration.ofMinutes(61));
        assertTrue(outbox.claim(new Outbox.Claim(10)).mails().isEmpty());
        assertEquals(1, outbox.counts().of("expired"));
    }

    @Test
    void claimsComeInBatchesInTheOrderMailsWereQueued() {
        for (int i = 0; i < 5; i++) {
            queueReset("batch" + i + "@example.com", 0);
        }
        Outbox.Claimed first = outbox.claim(new Outbox.Claim(3));
        assertEquals(3, first.mails().size());
        assertTrue(first.mails().get(0).id() < first.mails().get(1).id());
        assertEquals(2, outbox.claim(new Outbox.Claim(3)).mails().size());
    }
}
