package io.hitkeep.reports.digest;

import io.hitkeep.core.Subjects;
import io.hitkeep.reports.mail.Outbox;
import io.hitkeep.writer.StoreHandlers;
import io.hitkeep.writer.StoreRegistry;

import java.time.Clock;

/** Digest subscriptions as the writer hosts them (found through {@code META-INF/services}). */
public final class DigestStoreHandlers implements StoreHandlers {
    @Override
    public void register(StoreRegistry registry) {
        Subscriptions subscriptions = new Subscriptions(registry.database(), new Outbox(registry.database(), Clock.systemUTC()),
                Clock.systemUTC());
        registry.handle(Subscriptions.GET, subscriptions::get)
                .handle(Subscriptions.SET, subscriptions::set)
                .handle(Subscriptions.SEND_NOW, subscriptions::sendNow)
                .handle(Subscriptions.DUE, none -> subscriptions.due())
                .handle(Subscriptions.QUEUE, digest -> {
                    Subscriptions.Queued queued = subscriptions.queue(digest);
                    if (queued.mailId() > 0) {
                        registry.nats().publish(Subjects.MAIL_QUEUED, new byte[0]);
                    }
                    return queued;
                })
                .handle(Subscriptions.UNSUBSCRIBE, subscriptions::unsubscribe)
                .handle(Subscriptions.DROP, subscriptions::drop);
    }
}
