package io.hitkeep.reports.mail;

import io.hitkeep.core.StoreClient;
import io.hitkeep.reports.jobs.Job;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * The job that sends the outbox: claims due mails in batches, sends each over one SMTP connection, marks
 * it sent. A mail the server refuses for good (an unknown recipient) is given up and the others go on; a
 * server that cannot be reached, refuses our sign-in or our sender puts the batch back and fails the run
 * with the server's answer, so the scheduler retries with backoff and {@code /readyz} shows why. A 4xx
 * answer for one mail (greylisting) puts only that mail back, for a minute. Used by the scheduler's thread.
 */
public final class OutboxJob implements Job {
    private static final Logger LOG = Logger.getLogger(OutboxJob.class.getName());
    private static final int BATCH = 10;
    private static final Duration MAIL_RETRY = Duration.ofMinutes(1);

    private final StoreClient store;
    private final SmtpMailer mailer;

    public OutboxJob(StoreClient store, SmtpMailer mailer) {
        this.store = store;
        this.mailer = mailer;
    }

    @Override
    public String run() {
        int sent = 0;
        int refused = 0;
        int deferred = 0;
        while (true) {
            List<OutgoingMail> batch = store.call(Outbox.CLAIM, new Outbox.Claim(BATCH)).mails();
            if (batch.isEmpty()) {
                break;
            }
            SmtpMailer.Connection connection;
            try {
                connection = mailer.connect();
            } catch (MailFailure unreachable) {
                putBack(batch, 0, unreachable);
                throw unreachable;
            }
            try (connection) {
                for (int i = 0; i < batch.size(); i++) {
                    OutgoingMail mail = batch.get(i);
                    try {
                        connection.send(mail);
                    } catch (MailFailure failure) {
                        if (failure.kind() == MailFailure.Kind.MAIL_REFUSED) {
                            refused++;
                            store.call(Outbox.REFUSED, new Outbox.Refusal(mail.id(), failure.getMessage(), true, 0));
                            LOG.warning(() -> "gave up mail " + mail.id() + " (" + mail.kind() + "): " + failure.getMessage());
                            continue;
                        }
                        if (failure.kind() == MailFailure.Kind.MAIL_DEFERRED) {
                            deferred++;
                            store.call(Outbox.REFUSED, new Outbox.Refusal(mail.id(), failure.getMessage(), false, MAIL_RETRY.toSeconds()));
                            continue;
                        }
                        putBack(batch, i, failure);
                        throw failure;
                    }
                    store.call(Outbox.SENT, new Outbox.MailRef(mail.id()));
                    sent++;
                }
            }
            if (batch.size() < BATCH) {
                break;
            }
        }
        return sent == 0 && refused == 0 && deferred == 0 ? ""
                : "sent " + sent + " mail(s)" + (refused > 0 ? ", " + refused + " refused for good" : "")
                + (deferred > 0 ? ", " + deferred + " deferred" : "");
    }

    /** Puts the batch back from {@code from} on, due again at once: the run's retry decides when. */
    private void putBack(List<OutgoingMail> batch, int from, MailFailure failure) {
        for (OutgoingMail mail : batch.subList(from, batch.size())) {
            store.call(Outbox.REFUSED, new Outbox.Refusal(mail.id(), failure.getMessage(), false, 0));
        }
    }
}
