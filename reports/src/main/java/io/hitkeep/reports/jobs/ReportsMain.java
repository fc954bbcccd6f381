package io.hitkeep.reports.jobs;

import io.hitkeep.web.Launcher;
import io.hitkeep.web.Observability;

/**
 * Runs the reports role on its own against {@code HITKEEP_NATS_URL}: the scheduler (one replica of the
 * deployment runs the jobs, chosen by a lease) and {@code /healthz}, {@code /readyz} (with the jobs'
 * state), {@code /metrics}. The digest routes are served by the role that serves {@code /api} (query).
 */
public final class ReportsMain {
    private ReportsMain() {
    }

    public static void main(String[] args) {
        Launcher.runRole(args, "hitkeep-reports", (launcher, settings, nats) -> {
            Reports reports = launcher.closeOnExit(Reports.start(settings, nats));
            launcher.serve(settings, routing -> routing.addFeature(Observability.withBroker(nats).detail("scheduler", reports::status)));
        });
    }
}
