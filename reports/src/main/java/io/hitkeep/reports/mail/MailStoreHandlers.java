package io.hitkeep.reports.mail;

import io.hitkeep.core.Mail;
import io.hitkeep.core.Subjects;
import io.hitkeep.writer.StoreHandlers;
import io.hitkeep.writer.StoreRegistry;

import java.time.Clock;

/**
 * The outbox as the writer hosts it (found through {@code META-INF/services}): queue a letter, claim, mark
 * sent or refused. Queuing also says so on {@link Subjects#MAIL_QUEUED}, so the scheduler sends at once.
 */
public final class MailStoreHandlers implements StoreHandlers {
    @Override
    public void register(StoreRegistry registry) {
        Outbox outbox = new Outbox(registry.database(), Clock.systemUTC());
        registry.handle(Mail.QUEUE, letter -> {
                    Mail.Queued queued = outbox.queue(letter);
                    registry.nats().publish(Subjects.MAIL_QUEUED, new byte[0]);
                    return queued;
                })
                .handle(Outbox.CLAIM, outbox::claim)
                .handle(Outbox.SENT, outbox::sent)
                .handle(Outbox.REFUSED, outbox::refused)
                .handle(Outbox.COUNTS, none -> outbox.counts());
    }
}
