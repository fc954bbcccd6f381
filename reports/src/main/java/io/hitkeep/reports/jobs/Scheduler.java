package io.hitkeep.reports.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.Json;
import io.hitkeep.core.Metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the job table on the one instance that holds the {@link Lease}: each job when its {@link Schedule}
 * says, never two runs of a job at once, each run logged with its duration and outcome and counted in
 * {@code /metrics} ({@code hitkeep_job_runs_total{job,outcome}}, {@code hitkeep_job_duration_milliseconds_total{job}}).
 * A run that throws is retried after 5 s, 10 s, 20 s... (at most the job's {@link Schedule#longestRetryWait}),
 * and {@link #status()} (shown in {@code /readyz}) says it is failing and why until a run succeeds.
 * One platform thread keeps the lease and starts due runs, each on a virtual thread of its own. Thread-safe.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Scheduler.class.getName());
    private static final Duration TICK = Duration.ofMillis(250);

    private final Map<String, Tracked> jobs = new LinkedHashMap<>();
    private final Lease lease;
    private final Clock clock;
    private final Backoff backoff;
    private final Thread loop;
    private volatile boolean running = true;
    private boolean leading;

    /** A job as the scheduler follows it; guarded by the scheduler's lock. */
    private static final class Tracked {
        final ScheduledJob job;
        Instant nextRun;
        boolean inProgress;
        int failures;
        Instant lastRun;
        long lastDurationMillis;
        String lastOutcome = "";
        String lastError = "";
        long runs;

        Tracked(ScheduledJob job) {
            this.job = job;
        }
    }

    /**
     * The state of a job as {@code /readyz} shows it.
     *
     * @param failures runs that failed in a row (0: the last run succeeded, or none ran yet)
     */
    public record JobStatus(String name, String schedule, String what, long runs, Optional<Instant> lastRun,
                            long lastDurationMillis, String lastOutcome, int failures, String lastError,
                            Optional<Instant> nextRun, boolean inProgress) {
    }

    /** With the default first retry (5 s). */
    public Scheduler(List<ScheduledJob> table, Lease lease) {
        this(table, lease, Clock.systemUTC(), Duration.ofSeconds(5));
    }

    /** With the clock of the schedules and the first wait after a failure (tests shorten it). */
    public Scheduler(List<ScheduledJob> table, Lease lease, Clock clock, Duration firstRetry) {
        for (ScheduledJob job : table) {
            if (jobs.putIfAbsent(job.name(), new Tracked(job)) != null) {
                throw new IllegalArgumentException("two jobs named " + job.name());
            }
        }
        this.lease = lease;
        this.clock = clock;
        this.backoff = new Backoff(firstRetry);
        Metrics.gauge("hitkeep_jobs_failing", "scheduled jobs whose last run failed", this::failing);
        Metrics.gauge("hitkeep_scheduler_leader", "1 while this instance holds the lease and runs the scheduled jobs",
                () -> leading() ? 1 : 0);
        this.loop = Thread.ofPlatform().daemon().name("hitkeep-scheduler").start(this::loop);
        StringBuilder listing = new StringBuilder("scheduled jobs (run by whoever holds the lease):");
        table.forEach(job -> listing.append("\n  ").append(job.name()).append(", ").append(job.schedule().describe())
                .append(": ").append(job.what()));
        LOG.info(listing::toString);
    }

    private void loop() {
        while (running) {
            try {
                boolean holding = lease.maintain();
                startDueRuns(holding);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "scheduler tick failed: " + e, e);
            }
            synchronized (this) {
                try {
                    wait(TICK.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private synchronized void startDueRuns(boolean holding) {
        Instant now = clock.instant();
        if (holding != leading) {
            leading = holding;
            LOG.info(holding ? "this instance now runs the scheduled jobs (" + lease.holder() + ")"
                    : "another instance runs the scheduled jobs now");
            for (Tracked tracked : jobs.values()) {
                tracked.nextRun = holding ? tracked.job.schedule().first(now) : null;
            }
        }
        if (!holding || !running) {
            return;
        }
        for (Tracked tracked : jobs.values()) {
            if (!tracked.inProgress && tracked.nextRun != null && !now.isBefore(tracked.nextRun)) {
                tracked.inProgress = true;
                Thread.ofVirtual().name("hitkeep-job-" + tracked.job.name()).start(() -> run(tracked));
            }
        }
    }

    private void run(Tracked tracked) {
        String name = tracked.job.name();
        Instant started = clock.instant();
        long start = System.nanoTime();
        String outcome;
        Exception failure = null;
        try {
            outcome = tracked.job.job().run();
        } catch (Exception e) {
            outcome = "";
            failure = e;
        }
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        Metrics.counter("hitkeep_job_runs_total", "job=\"" + name + "\",outcome=\"" + (failure == null ? "ok" : "failed") + "\"",
                "scheduled job runs by job and outcome").increment();
        Metrics.counter("hitkeep_job_duration_milliseconds_total", "job=\"" + name + "\"",
                "time spent in scheduled job runs").add(millis);
        synchronized (this) {
            tracked.inProgress = false;
            tracked.runs++;
            tracked.lastRun = started;
            tracked.lastDurationMillis = millis;
            Instant now = clock.instant();
            if (failure == null) {
                if (tracked.failures > 0) {
                    LOG.info("job " + name + " succeeded again after " + tracked.failures + " failed run(s)");
                }
                tracked.failures = 0;
                tracked.lastOutcome = outcome == null ? "" : outcome;
                tracked.lastError = "";
                String summary = tracked.lastOutcome;
                // a run that did nothing says nothing at INFO: the outbox looks every 30 s
                LOG.log(summary.isEmpty() ? Level.FINE : Level.INFO, () -> "job " + name + ": " + (summary.isEmpty() ? "nothing to do" : summary)
                        + " (" + millis + " ms)");
                // a wake-up during the run (a mail queued meanwhile) keeps its "at once"
                boolean wokenDuringRun = tracked.nextRun != null && tracked.nextRun.isAfter(started);
                if (tracked.nextRun != null && !wokenDuringRun) {
                    tracked.nextRun = tracked.job.schedule().next(started);
                }
            } else {
                tracked.failures++;
                tracked.lastOutcome = "failed";
                tracked.lastError = message(failure);
                Duration wait = backoff.after(tracked.failures, tracked.job.schedule());
                if (tracked.nextRun != null) {
                    tracked.nextRun = now.plus(wait);
                }
                LOG.log(Level.WARNING, "job " + name + " failed (" + millis + " ms, " + tracked.failures + " in a row; next attempt in "
                        + wait.toSeconds() + " s): " + tracked.lastError, LOG.isLoggable(Level.FINE) ? failure : null);
            }
            notifyAll();
        }
    }

    private synchronized long failing() {
        return jobs.values().stream().filter(tracked -> tracked.failures > 0).count();
    }

    /** How long a failing job waits: the first retry, doubled with each failure in a row, at most the schedule's longest wait. */
    record Backoff(Duration firstRetry) {
        Duration after(int failures, Schedule schedule) {
            Duration wait = firstRetry.multipliedBy(1L << Math.min(failures - 1, 20));
            Duration longest = schedule.longestRetryWait();
            return wait.compareTo(longest) > 0 ? longest : wait;
        }
    }

    private static String message(Exception failure) {
        String text = failure.getMessage();
        return text == null || text.isBlank() ? failure.getClass().getSimpleName() : text;
    }

    /**
     * Runs the job as soon as possible (at the next tick) if this instance leads, e.g. the outbox when a
     * mail was queued; a run in progress is followed by another one.
     */
    public synchronized void wake(String name) {
        Tracked tracked = tracked(name);
        if (leading) {
            tracked.nextRun = clock.instant();
            notifyAll();
        }
    }

    /** Whether this instance holds the lease and runs the jobs. */
    public boolean leading() {
        return lease.held();
    }

    public synchronized JobStatus status(String name) {
        Tracked tracked = tracked(name);
        return new JobStatus(name, tracked.job.schedule().describe(), tracked.job.what(), tracked.runs,
                Optional.ofNullable(tracked.lastRun), tracked.lastDurationMillis, tracked.lastOutcome, tracked.failures,
                tracked.lastError, Optional.ofNullable(tracked.nextRun), tracked.inProgress);
    }

    /** Every job's state as {@code /readyz} shows it: {@code {"leader": true, "holder": ..., "jobs": {...}}}. */
    public ObjectNode status() {
        ObjectNode body = Json.object().put("leader", leading()).put("holder", lease.holder());
        ObjectNode all = body.putObject("jobs");
        List<String> names;
        synchronized (this) {
            names = List.copyOf(jobs.keySet());
        }
        for (String name : names) {
            JobStatus status = status(name);
            ObjectNode job = all.putObject(name).put("schedule", status.schedule())
                    .put("state", status.inProgress() ? "running" : status.failures() > 0 ? "failing"
                            : status.lastRun().isPresent() ? "ok" : leading() ? "waiting" : "run by another instance")
                    .put("runs", status.runs());
            status.lastRun().ifPresent(at -> job.put("last_run", at.toString()).put("last_duration_ms", status.lastDurationMillis()));
            if (!status.lastOutcome().isEmpty()) {
                job.put("last_outcome", status.lastOutcome());
            }
            if (status.failures() > 0) {
                job.put("failures_in_a_row", status.failures()).put("error", status.lastError());
            }
            status.nextRun().ifPresent(at -> job.put("next_run", at.toString()));
        }
        return body;
    }

    private Tracked tracked(String name) {
        Tracked tracked = jobs.get(name);
        if (tracked == null) {
            throw new NoSuchElementException("no job named " + name);
        }
        return tracked;
    }

    /** Stops starting runs, waits up to 10 s for runs in progress, then gives the lease up. */
    @Override
    public void close() {
        running = false;
        loop.interrupt();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        synchronized (this) {
            while (jobs.values().stream().anyMatch(tracked -> tracked.inProgress) && System.nanoTime() - deadline < 0) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lease.close();
    }
}
