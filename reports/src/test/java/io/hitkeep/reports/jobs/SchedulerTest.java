package io.hitkeep.reports.jobs;

import io.hitkeep.core.Metrics;
import io.hitkeep.core.NatsConnector;
import io.hitkeep.testing.NatsBroker;
import io.nats.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two schedulers on one real nats-server: only the lease holder runs jobs; a failed job is retried and reported. */
class SchedulerTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    @Test
    void onlyTheLeaseHolderRunsAJobAndTheOtherTakesOverWhenItStops() throws Exception {
        Map<String, AtomicInteger> runsBy = new ConcurrentHashMap<>();
        try (Connection first = NatsConnector.connect(broker.url(), "first");
             Connection second = NatsConnector.connect(broker.url(), "second")) {
            Scheduler a = scheduler(first, "a", "two-schedulers", runsBy);
            Scheduler b = scheduler(second, "b", "two-schedulers", runsBy);
            try {
                await(() -> runsBy.values().stream().mapToInt(AtomicInteger::get).sum() >= 5, "five runs");
                assertEquals(1, runsBy.size(), "one instance ran the job: " + runsBy);
                assertTrue(a.leading() ^ b.leading(), "exactly one leads");
                Scheduler leader = a.leading() ? a : b;
                String leaderName = a.leading() ? "a" : "b";
                String otherName = a.leading() ? "b" : "a";
                assertEquals("run by another instance", (a.leading() ? b : a).status().get("jobs").get("tick").get("state").asText());

                leader.close();
                await(() -> runsBy.containsKey(otherName) && runsBy.get(otherName).get() >= 3, "the other instance runs the job");
                int leaderRuns = runsBy.get(leaderName).get();
                Thread.sleep(500);
                assertEquals(leaderRuns, runsBy.get(leaderName).get(), "the stopped scheduler runs nothing more");
            } finally {
                a.close();
                b.close();
            }
        }
    }

    @Test
    void aLeaseThatIsNotRenewedExpiresAndAnotherInstanceTakesIt() throws Exception {
        try (Connection first = NatsConnector.connect(broker.url(), "first");
             Connection second = NatsConnector.connect(broker.url(), "second")) {
            Lease dead = new Lease(first, "hk_test_leases_expiry", "expiry", Duration.ofSeconds(2), "dead");
            assertTrue(dead.maintain(), "the first instance takes the free lease");
            Lease alive = new Lease(second, "hk_test_leases_expiry", "expiry", Duration.ofSeconds(2), "alive");
            assertFalse(alive.maintain(), "held by the first");
            // the first never renews (as if it died without closing): its entry ages out in the bucket
            await(alive::maintain, "the second takes the lease once the first one's entry expired");
            assertFalse(dead.held(), "the first no longer trusts a lease it has not renewed for its TTL");
            alive.close();
        }
    }

    @Test
    void aFailingJobIsRetriedWithBackoffAndReportsItsError() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Job flaky = () -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new IllegalStateException("the SMTP server refused the sender hk@example.com (553 sender not allowed)");
            }
            return "sent 1 mail(s)";
        };
        try (Connection nats = NatsConnector.connect(broker.url(), "flaky")) {
            Lease lease = new Lease(nats, "hk_test_leases_retry", "retry", Duration.ofSeconds(3), "flaky");
            // an hour between regular runs: every run seen here is a retry
            try (Scheduler scheduler = new Scheduler(List.of(new ScheduledJob("flaky", Schedule.every(Duration.ofHours(1)),
                    "fails twice", flaky)), lease, Clock.systemUTC(), Duration.ofMillis(200))) {
                await(() -> scheduler.status("flaky").failures() == 1, "the first failure");
                var failing = scheduler.status().get("jobs").get("flaky");
                assertEquals("failing", failing.get("state").asText());
                assertTrue(failing.get("error").asText().contains("553 sender not allowed"), failing.toString());
                await(() -> scheduler.status("flaky").lastOutcome().equals("sent 1 mail(s)"), "the third attempt succeeds");
                assertEquals(3, attempts.get());
                assertEquals(0, scheduler.status("flaky").failures());
                assertEquals("ok", scheduler.status().get("jobs").get("flaky").get("state").asText());
                String metrics = Metrics.prometheus();
                assertTrue(metrics.contains("hitkeep_job_runs_total{job=\"flaky\",outcome=\"failed\"} 2"), metrics);
                assertTrue(metrics.contains("hitkeep_job_runs_total{job=\"flaky\",outcome=\"ok\"} 1"), metrics);
            }
        }
    }

    @Test
    void retriesWaitLongerEachTimeUpToTheSchedulesLongestWait() {
        Scheduler.Backoff backoff = new Scheduler.Backoff(Duration.ofSeconds(5));
        Schedule every30s = Schedule.every(Duration.ofSeconds(30));
        assertEquals(List.of(5L, 10L, 20L, 30L, 30L), List.of(1, 2, 3, 4, 5).stream()
                .map(failures -> backoff.after(failures, every30s).toSeconds()).toList());
        assertEquals(Duration.ofMinutes(30), backoff.after(20, Schedule.dailyAt(java.time.LocalTime.of(3, 0))));
    }

    private static Scheduler scheduler(Connection nats, String name, String lease, Map<String, AtomicInteger> runsBy) {
        Job tick = () -> {
            runsBy.computeIfAbsent(name, key -> new AtomicInteger()).incrementAndGet();
            return "ticked";
        };
        return new Scheduler(List.of(new ScheduledJob("tick", Schedule.every(Duration.ofMillis(100)), "counts its runs", tick)),
                new Lease(nats, "hk_test_leases", lease, Duration.ofSeconds(2), name), Clock.systemUTC(), Duration.ofMillis(100));
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
