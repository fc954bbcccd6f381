package io.hitkeep.reports.jobs;

/**
 * One piece of scheduled work (send the outbox, put due digests into it, ...). The {@link Scheduler} runs
 * it on the one instance that holds the lease, never twice at once; a job that throws is retried with
 * backoff and shown failing in {@code /readyz}. A job must be safe to run again after a crash in the
 * middle (it finds its place from what is stored, not from memory).
 */
@FunctionalInterface
public interface Job {
    /** Does the work; answers a short summary for the log ("sent 3 mails"), empty when there was nothing to do. */
    String run() throws Exception;
}
