package io.hitkeep.reports.digest;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.StoreClient;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.reports.jobs.Job;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The job that puts each subscriber's weekly and monthly digest into the outbox once its period has ended
 * in the site's time zone ({@link Period#lastDue}). Where it left off is stored with each subscription, and
 * the digest is queued in the same transaction that moves it forward, so a run that dies in the middle,
 * a second run, or a new leader does not mail a period twice. A subscriber who can no longer read the
 * site (left the team, site deleted) loses the subscription. Used by the scheduler's thread.
 */
public final class DigestJob implements Job {
    private static final Logger LOG = Logger.getLogger(DigestJob.class.getName());

    private final StoreClient store;
    private final Digests digests;
    private final String base;
    private final Clock clock;

    /** @param base the public address for the digests' links ({@code HITKEEP_PUBLIC_URL}) */
    public DigestJob(StoreClient store, Digests digests, String base, Clock clock) {
        this.store = store;
        this.digests = digests;
        this.base = base;
        this.clock = clock;
    }

    @Override
    public String run() {
        int queued = 0;
        List<String> failures = new ArrayList<>();
        for (Subscriptions.Subscriber subscriber : store.call(Subscriptions.DUE, StoreOperation.None.NONE).subscribers()) {
            LocalDateTime local = LocalDateTime.ofInstant(clock.instant(), ZoneId.of(subscriber.timezone()));
            for (Period period : Period.values()) {
                Optional<LocalDate> sent = subscriber.sent(period);
                Period.Range due = period.lastDue(local);
                if (!subscriber.wants(period) || sent.isPresent() && !sent.get().isBefore(due.from())) {
                    continue;
                }
                try {
                    Digests.Reader reader = new Digests.Reader(subscriber.userId(), subscriber.email(), subscriber.siteId(),
                            subscriber.siteName(), subscriber.timezone());
                    if (store.call(Subscriptions.QUEUE, digests.compose(reader, due, base, true)).mailId() > 0) {
                        queued++;
                    }
                } catch (DomainError refused) {
                    if (refused.kind() == DomainError.Kind.NOT_FOUND || refused.kind() == DomainError.Kind.FORBIDDEN) {
                        store.call(Subscriptions.DROP, new Subscriptions.Drop(subscriber.userId(), subscriber.siteId()));
                        LOG.info(() -> "dropped the digest subscription of user " + subscriber.userId() + " to site "
                                + subscriber.siteId() + ": " + refused.getMessage());
                        break;
                    }
                    failures.add("site " + subscriber.siteId() + ", user " + subscriber.userId() + ": " + refused.getMessage());
                } catch (RuntimeException e) {
                    failures.add("site " + subscriber.siteId() + ", user " + subscriber.userId() + ": " + e.getMessage());
                }
            }
        }
        if (!failures.isEmpty()) {
            // the others were queued and marked; a retry does only these
            throw new IllegalStateException(failures.size() + " digest(s) could not be made (" + queued + " queued): "
                    + String.join("; ", failures.subList(0, Math.min(3, failures.size()))));
        }
        return queued == 0 ? "" : "queued " + queued + " digest(s)";
    }
}
