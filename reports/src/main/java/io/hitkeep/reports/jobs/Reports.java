package io.hitkeep.reports.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.auth.SessionTokens;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.hitkeep.core.Subjects;
import io.hitkeep.reports.archive.RetentionArchive;
import io.hitkeep.reports.backup.BackupJob;
import io.hitkeep.reports.digest.DigestJob;
import io.hitkeep.reports.digest.Digests;
import io.hitkeep.reports.mail.OutboxJob;
import io.hitkeep.reports.mail.SmtpMailer;
import io.hitkeep.reports.mail.SmtpSettings;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The reports role's scheduled work: {@link #jobs the job table} run by a {@link Scheduler} on whichever
 * instance holds the lease {@code reports-scheduler} in the {@code hk_leases} bucket. The single binary
 * starts it in-process (its own broker, so it always holds the lease); in a split deployment every
 * {@code reports} replica starts it and one of them runs the jobs. Thread-safe.
 */
public final class Reports implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Reports.class.getName());
    /** A holder that died is replaced within this; renewed every third of it. */
    static final Duration LEASE_TTL = Duration.ofSeconds(15);
    public static final String OUTBOX = "outbox";
    public static final String DIGESTS = "digests";
    public static final String RETENTION = "retention";
    public static final String BACKUP = "backup";

    private final Scheduler scheduler;
    private final Dispatcher wakeUps;
    private final Connection nats;

    private Reports(Scheduler scheduler, Connection nats, Dispatcher wakeUps) {
        this.scheduler = scheduler;
        this.nats = nats;
        this.wakeUps = wakeUps;
    }

    /**
     * The job table, GoatCounter's {@code cron.Tasks} habit: every scheduled job of the deployment, its
     * schedule and what it does, in one place. Mail jobs are left out while no SMTP server is set, the backup
     * while no backup path is set. Retention runs before the backup, so a night's backup holds its archive.
     */
    static List<ScheduledJob> jobs(Settings settings, StoreClient store, Optional<SmtpSettings> smtp) {
        List<ScheduledJob> jobs = new ArrayList<>();
        jobs.add(new ScheduledJob(RETENTION, Schedule.dailyAt(LocalTime.of(2, 30)),
                "moves whole months older than a site's retention_days into Parquet files under the data folder",
                new RetentionArchive(store)));
        BackupJob backup = new BackupJob(store, settings);
        if (backup.configured()) {
            jobs.add(new ScheduledJob(BACKUP, Schedule.dailyAt(LocalTime.of(3, 0)),
                    "has the writer back up the database into HITKEEP_BACKUP_PATH, keeping the newest HITKEEP_BACKUP_KEEP",
                    backup));
        }
        smtp.ifPresent(server -> {
            jobs.add(new ScheduledJob(OUTBOX, Schedule.every(Duration.ofSeconds(30)),
                    "sends the mails waiting in the outbox (also at once when one is queued)",
                    new OutboxJob(store, new SmtpMailer(server))));
            jobs.add(new ScheduledJob(DIGESTS, Schedule.every(Duration.ofMinutes(10)),
                    "queues each subscriber's weekly and monthly digest once the period has ended in the site's time zone",
                    new DigestJob(store, new Digests(store, new SessionTokens(settings)), digestBase(settings), Clock.systemUTC())));
        });
        return jobs;
    }

    public static Reports start(Settings settings, Connection nats) {
        Optional<SmtpSettings> smtp = SmtpSettings.of(settings);
        StoreClient store = new StoreClient(nats);
        if (smtp.isEmpty()) {
            LOG.warning("no SMTP server is set (HITKEEP_SMTP_HOST): no mail is sent and no digests go out; "
                    + "password-reset links are written to the log instead");
        } else {
            LOG.info("mail goes through " + smtp.get());
            if (settings.value(Settings.PUBLIC_URL).isEmpty()) {
                LOG.warning("HITKEEP_PUBLIC_URL is not set: the links in digests point at " + digestBase(settings));
            }
        }
        Lease lease = new Lease(nats, Subjects.LEASES_BUCKET, "reports-scheduler", LEASE_TTL, hostName());
        Scheduler scheduler = new Scheduler(jobs(settings, store, smtp), lease);
        Dispatcher wakeUps = null;
        if (smtp.isPresent()) {
            // a mail was queued: send it now rather than at the outbox's next turn
            wakeUps = nats.createDispatcher(message -> scheduler.wake(OUTBOX));
            wakeUps.subscribe(Subjects.MAIL_QUEUED);
        }
        return new Reports(scheduler, nats, wakeUps);
    }

    /** Where a scheduled digest's links point: {@code HITKEEP_PUBLIC_URL}, else this machine's HTTP port. */
    static String digestBase(Settings settings) {
        return settings.value(Settings.PUBLIC_URL).map(url -> url.strip().replaceAll("/+$", ""))
                .orElse("http://localhost:" + settings.value(Settings.HTTP_PORT, "8080"));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "reports";
        }
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** What {@code /readyz} shows: whether this instance leads, and each job's last outcome. */
    public ObjectNode status() {
        return scheduler.status();
    }

    @Override
    public void close() {
        if (wakeUps != null) {
            nats.closeDispatcher(wakeUps);
        }
        scheduler.close();
    }
}
