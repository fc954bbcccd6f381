package io.hitkeep.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.reports.jobs.Reports;
import io.hitkeep.reports.jobs.Scheduler;
import io.hitkeep.testing.HttpSession;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SMTP server refuses our sender, then is down, then comes up: the API call that queued the mail never
 * waits or fails, the outbox job fails with the server's answer in {@code /readyz}, and once a server takes
 * mail the queued mail arrives, exactly once.
 */
class MailOutageTest {
    private static final Mailbox MAILBOX = new Mailbox();

    @RegisterExtension
    static SingleBinary server = new SingleBinary(Map.of("smtp-host", "127.0.0.1", "smtp-port", Integer.toString(MAILBOX.port()),
            "smtp-tls", "none", "smtp-from", "hitkeep@outage.example"));

    @Test
    void aRefusedSenderIsAClearErrorAndAMailQueuedDuringAnOutageArrivesOnceLater() throws Exception {
        HttpSession owner = server.owner();
        Scheduler scheduler = server.hitKeep().reports().scheduler();
        try (RefusingSmtpServer refusing = new RefusingSmtpServer(MAILBOX.port())) {
            long started = System.nanoTime();
            HttpSession.Response asked = owner.anonymous().json("POST", "/api/password-reset", Map.of("email", "owner@example.com"));
            assertEquals(202, asked.status(), asked.body());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0,
                    "the API call does not wait for the SMTP server");

            await(() -> scheduler.status(Reports.OUTBOX).failures() > 0, "the outbox job fails");
            String error = scheduler.status(Reports.OUTBOX).lastError();
            assertTrue(error.contains("refused the sender hitkeep@outage.example") && error.contains(RefusingSmtpServer.REFUSAL)
                    && error.contains("HITKEEP_SMTP_FROM"), error);
            JsonNode outbox = owner.anonymous().get("/readyz").json().get("scheduler").get("jobs").get(Reports.OUTBOX);
            assertEquals("failing", outbox.get("state").asText(), outbox.toString());
            assertTrue(outbox.get("error").asText().contains("553"), outbox.toString());
            assertTrue(server.hitKeep().reports().status().get("jobs").get(Reports.OUTBOX).has("next_run"));
        }

        // nothing listens now: a connection error, and still nothing lost
        await(() -> scheduler.status(Reports.OUTBOX).lastError().contains("cannot reach the SMTP server"), "an unreachable server");

        MAILBOX.start();
        try {
            List<MimeMessage> received = MAILBOX.await(1);
            assertEquals("Reset your HitKeep password", Mailbox.subject(received.getFirst()));
            await(() -> scheduler.status(Reports.OUTBOX).failures() == 0, "the outbox job succeeds again");
            // more runs of the job (a wake-up, its interval) send nothing more
            owner.anonymous().json("POST", "/api/password-reset", Map.of("email", "nobody@example.com"));
            long runs = scheduler.status(Reports.OUTBOX).runs();
            scheduler.wake(Reports.OUTBOX);
            await(() -> scheduler.status(Reports.OUTBOX).runs() > runs + 1 || scheduler.status(Reports.OUTBOX).runs() > runs
                    && !scheduler.status(Reports.OUTBOX).inProgress(), "another run");
            Mailbox.sleep(500);
            assertEquals(1, MAILBOX.received().size(), "the mail arrived exactly once");
        } finally {
            MAILBOX.stop();
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Mailbox.sleep(50);
        }
    }
}
