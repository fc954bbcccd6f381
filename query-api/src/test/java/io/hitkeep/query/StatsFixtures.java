package io.hitkeep.query;

import io.hitkeep.auth.Teams;
import io.hitkeep.core.Hit;
import io.hitkeep.writer.Database;
import io.nats.client.Connection;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What the stats domain's tests share: sites of one team owned by user 1, and pageviews and events of a visitor
 * in a session at an instant written like {@code 2026-05-04T10:00:00Z}. Stateless.
 */
final class StatsFixtures {
    private StatsFixtures() {
    }

    /** The sites of a database where user 1 owns the one team (its first site is that team's). */
    static Sites sitesOfOneTeam(Database database, Connection nats) {
        database.write("create team", sql -> Teams.insertTeam(sql, "Team", 1));
        return new Sites(database, nats, new Teams(database));
    }

    static Hit pageview(int site, long visitor, String session, String time, String path) {
        Hit.Builder hit = Hit.builder();
        hit.timestampMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(time));
        hit.siteId = site;
        hit.hostname = "stats.example";
        hit.path = path;
        hit.visitorId = visitor;
        hit.sessionKey = session;
        return hit.build();
    }

    /** A custom event with its properties as JSON, sent from the page {@code /}. */
    static Hit event(int site, long visitor, String session, String time, String name, String props) {
        Hit.Builder hit = pageview(site, visitor, session, time, "/").toBuilder();
        hit.eventName = name;
        hit.propsJson = props;
        return hit.build();
    }
}
