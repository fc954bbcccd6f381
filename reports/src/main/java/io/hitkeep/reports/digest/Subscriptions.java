package io.hitkeep.reports.digest;

import io.hitkeep.auth.Access;
import io.hitkeep.auth.Teams;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Scope;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.reports.mail.Letters;
import io.hitkeep.reports.mail.Outbox;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.SqlFile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who gets which site's digest, as the writer hosts it: the caller's own subscription per site (any member
 * of the site's team may subscribe), the subscriptions whose period is due, and a digest queued into the
 * outbox together with the note that its period was mailed, in one transaction, so each period goes out
 * once however often the job runs and whichever instance runs it. Thread-safe.
 */
public final class Subscriptions {
    public static final StoreOperation<SiteRef, Subscription> GET = StoreOperation.of("reports.get", SiteRef.class, Subscription.class);
    public static final StoreOperation<Change, Subscription> SET = StoreOperation.of("reports.set", Change.class, Subscription.class);
    public static final StoreOperation<SiteRef, Recipient> SEND_NOW =
            StoreOperation.of("reports.send-now", SiteRef.class, Recipient.class);
    public static final StoreOperation<StoreOperation.None, Due> DUE = StoreOperation.of("reports.due", StoreOperation.None.class, Due.class);
    public static final StoreOperation<Queue, Queued> QUEUE = StoreOperation.of("reports.queue", Queue.class, Queued.class);
    public static final StoreOperation<Unsubscribe, Subscription> UNSUBSCRIBE =
            StoreOperation.of("reports.unsubscribe", Unsubscribe.class, Subscription.class);
    public static final StoreOperation<Drop, Queued> DROP = StoreOperation.of("reports.drop", Drop.class, Queued.class);

    public record SiteRef(Scope scope, int siteId) {
    }

    public record Change(Scope scope, int siteId, boolean weekly, boolean monthly) {
    }

    /** A user's digests of a site, with the site's name (for the settings screen and the unsubscribe page). */
    public record Subscription(int siteId, String siteName, boolean weekly, boolean monthly) {
    }

    /** Whom a "send now" goes to, and the site it is about. */
    public record Recipient(long userId, String email, int siteId, String siteName, String timezone) {
    }

    /**
     * A subscription with at least one period on, and the first day of the last period mailed of each
     * ({@code YYYY-MM-DD}; empty: none yet).
     */
    public record Subscriber(long userId, String email, int siteId, String siteName, String timezone, boolean weekly,
                             boolean monthly, String weekSent, String monthSent) {
        /** The first day of the last period of this kind that was mailed, if any. */
        public Optional<LocalDate> sent(Period period) {
            String day = period == Period.WEEK ? weekSent : monthSent;
            return day == null || day.isEmpty() ? Optional.empty() : Optional.of(LocalDate.parse(day));
        }

        public boolean wants(Period period) {
            return period == Period.WEEK ? weekly : monthly;
        }
    }

    public record Due(List<Subscriber> subscribers) {
        public Due {
            subscribers = subscribers == null ? List.of() : List.copyOf(subscribers);
        }
    }

    /**
     * A rendered digest to queue. {@code scheduled}: the period is marked mailed in the same transaction, and
     * nothing is queued if it was already (another run got there first); otherwise (send now) it is queued as it is.
     */
    public record Queue(long userId, int siteId, String period, String periodStart, boolean scheduled, String to,
                        String subject, String text, String html, Map<String, String> headers) {
        public Queue {
            headers = headers == null ? Map.of() : Map.copyOf(headers);
        }
    }

    /** The outbox row, or 0 when nothing was queued. */
    public record Queued(long mailId) {
    }

    /** The owner of an unsubscribe link stops getting one period's digest of a site. */
    public record Unsubscribe(long userId, int siteId, String period) {
    }

    /** A subscription that cannot be served any more (the user left the site's team, the site is gone). */
    public record Drop(long userId, int siteId) {
    }

    /** One "send now" per user and site in this time. */
    static final Duration SEND_NOW_INTERVAL = Duration.ofMinutes(5);

    private enum Query implements SqlFile.Named {
        SITE_OF, SUBSCRIPTION, UPSERT_SUBSCRIPTION, STAMP_SEND_NOW, ENSURE_SUBSCRIPTION_ROW, DUE_SUBSCRIPTIONS, MARK_WEEK_SENT,
        MARK_MONTH_SENT, UNSUBSCRIBE_WEEK, UNSUBSCRIBE_MONTH, DELETE_SUBSCRIPTION, EMAIL_OF_USER;

        @Override
        public String file() {
            return "sql/subscriptions.sql";
        }
    }

    private record Site(int id, int teamId, String name, String timezone) {
    }

    private final Database database;
    private final Teams teams;
    private final Outbox outbox;
    private final Clock clock;

    public Subscriptions(Database database, Outbox outbox, Clock clock) {
        this.database = database;
        this.teams = new Teams(database);
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The site, when the caller may read it; a 404 that tells nothing otherwise. */
    private Site readableSite(Scope scope, int siteId) {
        Site site = database.read(sql -> sql.first(Query.SITE_OF, row -> new Site(row.getInt(1), row.getInt(2),
                        row.getString(3), row.getString(4)), "site_id", siteId))
                .orElseThrow(() -> DomainError.notFound("no such site"));
        teams.require(scope, site.teamId(), Access.Action.READ_SITE, "no such site");
        return site;
    }

    Subscription get(SiteRef ref) {
        Site site = readableSite(ref.scope(), ref.siteId());
        return database.read(sql -> sql.first(Query.SUBSCRIPTION, row -> new Subscription(site.id(), site.name(),
                        row.getBoolean(1), row.getBoolean(2)), "user_id", ref.scope().userId(), "site_id", site.id()))
                .orElse(new Subscription(site.id(), site.name(), false, false));
    }

    Subscription set(Change change) {
        Site site = readableSite(change.scope(), change.siteId());
        LocalDateTime local = LocalDateTime.ofInstant(clock.instant(), ZoneId.of(site.timezone()));
        database.write("change digest subscription", sql -> sql.update(Query.UPSERT_SUBSCRIPTION, "user_id", change.scope().userId(),
                "site_id", site.id(), "weekly", change.weekly(), "monthly", change.monthly(),
                "week_sent", Period.WEEK.lastDue(local).from().toString(), "month_sent", Period.MONTH.lastDue(local).from().toString(),
                "now", utc(clock.instant())));
        return new Subscription(site.id(), site.name(), change.weekly(), change.monthly());
    }

    /** Checks access and the rate limit of "send now" (and notes this one); answers where the digest goes. */
    Recipient sendNow(SiteRef ref) {
        Site site = readableSite(ref.scope(), ref.siteId());
        Instant now = clock.instant();
        long userId = ref.scope().userId();
        return database.write("note a digest sent now", sql -> {
            sql.update(Query.ENSURE_SUBSCRIPTION_ROW, "user_id", userId, "site_id", site.id(), "now", utc(now));
            boolean fresh = sql.update(Query.STAMP_SEND_NOW, "user_id", userId, "site_id", site.id(), "now", utc(now),
                    "since", utc(now.minus(SEND_NOW_INTERVAL))) > 0;
            if (!fresh) {
                throw new DomainError(DomainError.Kind.TOO_MANY_REQUESTS, "a digest of this site was sent to you less than "
                        + SEND_NOW_INTERVAL.toMinutes() + " minutes ago; try again later");
            }
            String email = sql.first(Query.EMAIL_OF_USER, row -> row.getString(1), "user_id", userId)
                    .orElseThrow(() -> DomainError.notFound("no such user"));
            return new Recipient(userId, email, site.id(), site.name(), site.timezone());
        });
    }

    Due due() {
        return new Due(database.read(sql -> sql.list(Query.DUE_SUBSCRIPTIONS, row -> new Subscriber(row.getLong(1), row.getString(2),
                row.getInt(3), row.getString(4), row.getString(5), row.getBoolean(6), row.getBoolean(7),
                Optional.ofNullable(row.getString(8)).orElse(""), Optional.ofNullable(row.getString(9)).orElse("")))));
    }

    Queued queue(Queue digest) {
        Period period = Period.parse(digest.period());
        return database.write("queue digest", sql -> {
            if (digest.scheduled()) {
                int marked = sql.update(period == Period.WEEK ? Query.MARK_WEEK_SENT : Query.MARK_MONTH_SENT,
                        "user_id", digest.userId(), "site_id", digest.siteId(), "start", LocalDate.parse(digest.periodStart()).toString());
                if (marked == 0) {
                    return new Queued(0);
                }
            }
            return new Queued(outbox.insert(sql, "digest", digest.to(), new Letters.Rendered(digest.subject(), digest.text(), digest.html()),
                    digest.headers(), null));
        });
    }

    Subscription unsubscribe(Unsubscribe link) {
        Period period = Period.parse(link.period());
        database.write("unsubscribe from a digest", sql -> sql.update(period == Period.WEEK ? Query.UNSUBSCRIBE_WEEK : Query.UNSUBSCRIBE_MONTH,
                "user_id", link.userId(), "site_id", link.siteId(), "now", utc(clock.instant())));
        Optional<Site> site = database.read(sql -> sql.first(Query.SITE_OF, row -> new Site(row.getInt(1), row.getInt(2),
                row.getString(3), row.getString(4)), "site_id", link.siteId()));
        return database.read(sql -> sql.first(Query.SUBSCRIPTION, row -> new Subscription(link.siteId(),
                        site.map(Site::name).orElse("a deleted site"), row.getBoolean(1), row.getBoolean(2)),
                "user_id", link.userId(), "site_id", link.siteId()))
                .orElse(new Subscription(link.siteId(), site.map(Site::name).orElse("a deleted site"), false, false));
    }

    Queued drop(Drop drop) {
        database.write("drop a digest subscription", sql -> sql.update(Query.DELETE_SUBSCRIPTION, "user_id", drop.userId(),
                "site_id", drop.siteId()));
        return new Queued(0);
    }

    private static String utc(Instant instant) {
        return Outbox.utc(instant);
    }
}
