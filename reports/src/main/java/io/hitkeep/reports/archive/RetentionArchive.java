package io.hitkeep.reports.archive;

import io.hitkeep.core.StoreClient;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.reports.jobs.Job;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.logging.Logger;

/**
 * The retention job, as the scheduler runs it (nightly): asks the writer which sites' months are older than their
 * {@code retention_days}, then has it archive them one month at a time ({@link Archiver}), so that each store
 * request stays short and a failure stops at one month. Runs wherever the scheduler runs; the work happens in the
 * writer. Safe to run again at any time: a month done is not done twice. Thread-safe.
 */
public final class RetentionArchive implements Job {
    private static final Logger LOG = Logger.getLogger(RetentionArchive.class.getName());
    public static final StoreOperation<Today, DueMonths> DUE = StoreOperation.of("archive.due", Today.class, DueMonths.class);
    public static final StoreOperation<Archiver.Due, Archiver.Archived> MONTH =
            StoreOperation.of("archive.month", Archiver.Due.class, Archiver.Archived.class);
    /** A month of a large site takes seconds to write and check; far more than the default 30 s is not expected. */
    private static final Duration MONTH_TIMEOUT = Duration.ofMinutes(10);

    /** The day (UTC) retention is counted back from, as yyyy-mm-dd. */
    public record Today(String date) {}

    public record DueMonths(List<Archiver.Due> months) {}

    /** What a run did: months archived and rows moved out of the tables. */
    public record Outcome(int months, long rows) {}

    private final StoreClient store;

    public RetentionArchive(StoreClient store) {
        this.store = store;
    }

    @Override
    public String run() {
        Outcome outcome = runOnce();
        return outcome.months() == 0 ? "" : "archived " + outcome.months() + " months, " + outcome.rows() + " rows";
    }

    /** Archives every month that is due today (UTC). */
    public Outcome runOnce() {
        return runOnce(LocalDate.now(ZoneOffset.UTC));
    }

    public Outcome runOnce(LocalDate today) {
        int months = 0;
        long rows = 0;
        for (Archiver.Due due : store.call(DUE, new Today(today.toString())).months()) {
            Archiver.Archived archived = store.call(MONTH, due, MONTH_TIMEOUT);
            if (archived.rowsMoved() > 0) {
                months++;
                rows += archived.rowsMoved();
            }
        }
        int done = months;
        long moved = rows;
        LOG.info(() -> "retention: archived " + done + " months, " + moved + " rows");
        return new Outcome(months, rows);
    }
}
