package io.hitkeep.reports.jobs;

/**
 * A row of the job table: its name (in logs, metrics and {@code /readyz}), when it runs, what it does in a
 * sentence, and the work. Immutable.
 */
public record ScheduledJob(String name, Schedule schedule, String what, Job job) {
    public ScheduledJob {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("a job's name is lower case with dashes: " + name);
        }
    }
}
