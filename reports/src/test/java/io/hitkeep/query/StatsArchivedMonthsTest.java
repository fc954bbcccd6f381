package io.hitkeep.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.auth.Teams;
import io.hitkeep.core.Hit;
import io.hitkeep.core.Scope;
import io.hitkeep.reports.archive.Archiver;
import io.hitkeep.testing.NatsBroker;
import io.hitkeep.writer.HitWriter;
import io.hitkeep.writer.StoredHits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The stats answer the same for months that retention moved to Parquet files as they did while the rows were in
 * the tables: every part (summary with engagement, chart, lists, events, goals and filters), for a range that
 * spans archived and live months, in a zone whose days cross the UTC month edge; and funnels the same. With rollups
 * too: a range over an archived month is read from its files, and a start's catch-up after the archiving leaves the
 * rollups answering. Lives in the reports module (in the stats package, for its package-private parts): it needs the
 * archiver, and reports depends on query-api.
 */
class StatsArchivedMonthsTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    @Test
    void archivedMonthsAnswerAsTheTablesDid() {
        try (StoredHits stored = StoredHits.open()) {
            stored.database().write("site", sql -> {
                try (Statement statement = sql.connection().createStatement()) {
                    statement.execute("INSERT INTO sites (id, owner_id, domain, name, timezone, retention_days) VALUES "
                            + "(1, 1, 'example.com', 'e', 'America/New_York', 45)");
                    statement.execute("INSERT INTO goals (site_id, name, type, path, event, property_key, property_value, created_by) "
                            + "VALUES (1, 'Docs', 'pageview', '/docs/*', '', '', '', 1)");
                }
                return null;
            });
            HitWriter.store(stored.database(), hits());
            Stats stats = new Stats(stored.database());
            ZoneId zone = ZoneId.of("America/New_York");
            List<StatsRequest> requests = List.of(
                    new StatsRequest(1, "2026-01-01", "2026-04-30", List.of(), 10, List.of()),
                    new StatsRequest(1, "2026-02-01", "2026-02-01", List.of(), 10, List.of()),
                    new StatsRequest(1, "2026-01-15", "2026-03-15", List.of(new StatsRequest.Filter("event", "Signup")), 10, List.of()),
                    new StatsRequest(1, "2026-01-15", "2026-03-15", List.of(new StatsRequest.Filter("goal", "Docs")), 10, List.of()));
            List<JsonNode> before = requests.stream().map(request -> (JsonNode) stats.answer(request, zone)).toList();
            Rollups rollups = new Rollups(stored.database(), Duration.ZERO);
            rollups.catchUp();
            rollups.rollPending();
            Stats rolled = new Stats(stored.database(), Optional.of(new RollupAnswers(rollups, 0)));
            StatsRequest april = new StatsRequest(1, "2026-04-01", "2026-04-28", List.of(), 10, List.of("summary", "chart", "lists"));
            JsonNode aprilBefore = rolled.answer(april, zone);

            Archiver archiver = new Archiver(stored.database());
            List<Archiver.Due> due = archiver.due(LocalDate.parse("2026-05-20"));
            assertEquals(List.of("2026-01", "2026-02", "2026-03"), due.stream().map(Archiver.Due::month).toList());
            due.forEach(month -> archiver.archive(month.siteId(), month.month()));

            // as a start after the archiving would: the archived months have no hits left to roll
            rollups.catchUp();
            rollups.rollPending();
            for (int i = 0; i < requests.size(); i++) {
                assertEquals(before.get(i), stats.answer(requests.get(i), zone), "request " + i);
                assertEquals(before.get(i), rolled.answer(requests.get(i), zone), "request " + i + " with rollups");
            }
            assertEquals(aprilBefore, rolled.answer(april, zone), "a live month after the archiving, from the rollups");
            assertEquals(Optional.of(true), stored.database().read(sql -> new RollupAnswers(rollups, 0).plan(sql.connection(), april, zone)
                    .map(plan -> true)), "april was answered from the rollups");
            // 4 pageviews a day for 119 days, less the 3 of January 1 before midnight in New York
            assertEquals(4L * 119 - 3, before.getFirst().get("summary").get("pageviews").asLong(), "real numbers, not two empty answers");
        }
    }

    @Test
    void funnelsReadArchivedMonthsAsTheTablesDid() {
        try (StoredHits stored = StoredHits.open()) {
            stored.database().write("create team", sql -> Teams.insertTeam(sql, "Team", 1));
            Sites sites = new Sites(stored.database(), broker.connection(), new Teams(stored.database()));
            Scope owner = Scope.user(1);
            int site = sites.create(owner, 0, "example.com", "", "America/New_York").id();
            assertEquals(1, site, "the hits below are for site 1");
            stored.database().write("retention", sql -> {
                try (Statement statement = sql.connection().createStatement()) {
                    statement.execute("UPDATE sites SET retention_days = 45 WHERE id = 1");
                }
                return null;
            });
            HitWriter.store(stored.database(), hits());
            Funnels funnels = new Funnels(stored.database(), sites);
            List<Integer> ids = new ArrayList<>();
            for (String window : List.of("session", "24h")) {
                ids.add(funnels.create(new Funnels.NewFunnel(owner, 1, "Docs to signup " + window, window, List.of(
                        new Funnels.NewStep("", "pageview", "/docs/*", "", "", ""),
                        new Funnels.NewStep("", "event", "", "Signup", "plan", "pro")))).id());
            }
            StatsRequest range = StatsRequest.parse(1, Optional.of("2026-01-01"), Optional.of("2026-04-30"), List.of(), Optional.empty());
            List<Funnels.Report> before = ids.stream().map(id -> funnels.report(new Funnels.FunnelQuery(owner, id, range))).toList();

            Archiver archiver = new Archiver(stored.database());
            archiver.due(LocalDate.parse("2026-05-20")).forEach(month -> archiver.archive(month.siteId(), month.month()));

            for (int i = 0; i < ids.size(); i++) {
                assertEquals(before.get(i), funnels.report(new Funnels.FunnelQuery(owner, ids.get(i), range)), "funnel " + i);
            }
            // one visitor a day reads /docs, at 04:30 UTC: January 1's is still December 31 in New York
            assertEquals(118, before.getFirst().steps().get(0).visitors(), "real numbers, not two empty answers");
        }
    }

    /** Four pageviews a day (one on /docs), an event and an engagement ping, January to April, at 23:30 and 04:30 UTC. */
    private static List<Hit> hits() {
        List<Hit> hits = new ArrayList<>();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int day = 0; day < 119; day++) {
            for (int i = 0; i < 5; i++) {
                Hit.Builder hit = Hit.builder();
                hit.timestampMicros = ChronoUnit.MICROS.between(Instant.EPOCH, start.plus(day, ChronoUnit.DAYS)
                        .plus(i < 3 ? 270 : 1410, ChronoUnit.MINUTES).plusSeconds(i));
                hit.siteId = 1;
                hit.hostname = "example.com";
                hit.path = i == 1 ? "/docs/start" : "/p" + i;
                hit.country = i % 2 == 0 ? "DE" : "US";
                hit.browser = "Firefox";
                hit.visitorId = day * 10L + (i % 3);
                hit.sessionKey = "s" + hit.visitorId;
                if (i == 4) {
                    hit.eventName = "Signup";
                    hit.propsJson = "{\"plan\":\"pro\"}";
                }
                hits.add(hit.build());
            }
            Hit.Builder ping = Hit.builder();
            ping.timestampMicros = ChronoUnit.MICROS.between(Instant.EPOCH, start.plus(day, ChronoUnit.DAYS).plus(300, ChronoUnit.MINUTES));
            ping.siteId = 1;
            ping.path = "/p0";
            ping.visitorId = day * 10L;
            ping.sessionKey = "s" + ping.visitorId;
            ping.engagedMillis = 4000;
            hits.add(ping.build());
        }
        return hits;
    }
}
