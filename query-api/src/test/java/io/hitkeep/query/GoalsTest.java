package io.hitkeep.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Hit;
import io.hitkeep.core.Scope;
import io.hitkeep.testing.NatsBroker;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.StoredHits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Goals counted exactly, on hits stored through the writer's Appender: a pageview glob, an event, an event
 * with one property's value; a visitor who converts twice, one who converts on another day (visitor ids are
 * per day), one who never does; {@code filter=goal:} keeps only the converting visitors. Annotations are
 * kept per site and day.
 */
class GoalsTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Scope OWNER = Scope.user(1);
    private static final Scope STRANGER = Scope.user(2);

    @Test
    void conversionsVisitorsAndRatesPerGoal() {
        try (StoredHits stored = StoredHits.open()) {
            Database database = stored.database();
            Sites sites = StatsFixtures.sitesOfOneTeam(database, broker.connection());
            int site = sites.create(OWNER, 0, "goals.example", "", "UTC").id();
            Goals goals = new Goals(database, sites);
            goals.create(new Goals.NewGoal(OWNER, site, "Docs", "pageview", "/docs/*", "", "", ""));
            goals.create(new Goals.NewGoal(OWNER, site, "Signup", "event", "", "Signup", "", ""));
            goals.create(new Goals.NewGoal(OWNER, site, "Pro signup", "event", "", "Signup", "plan", "pro"));

            stored.add(
                    // visitor 1 reads two docs pages and signs up for pro
                    pageview(site, 1, "2026-05-04T10:00:00Z", "/"), pageview(site, 1, "2026-05-04T10:01:00Z", "/docs/intro"),
                    pageview(site, 1, "2026-05-04T10:02:00Z", "/docs/api"),
                    event(site, 1, "2026-05-04T10:03:00Z", "Signup", "{\"plan\":\"pro\"}"),
                    // visitor 2 signs up twice on the free plan; /docs itself is not below /docs/
                    pageview(site, 2, "2026-05-04T11:00:00Z", "/docs"),
                    event(site, 2, "2026-05-04T11:01:00Z", "Signup", "{\"plan\":\"free\"}"),
                    event(site, 2, "2026-05-04T11:05:00Z", "Signup", "{\"plan\":\"free\"}"),
                    // visitor 4 never converts; visitor 3 reads the docs the next day
                    pageview(site, 4, "2026-05-04T12:00:00Z", "/"),
                    pageview(site, 3, "2026-05-05T09:00:00Z", "/docs/install"));
            Stats stats = new Stats(database);

            JsonNode day = stats.answer(request(site, "2026-05-04", "2026-05-04", List.of()), UTC);
            assertEquals(List.of("Docs 1/2 33.3", "Signup 2/3 66.7", "Pro signup 1/1 33.3"), goals(day));
            JsonNode twoDays = stats.answer(request(site, "2026-05-04", "2026-05-05", List.of()), UTC);
            assertEquals(List.of("Docs 2/3 50.0", "Signup 2/3 50.0", "Pro signup 1/1 25.0"), goals(twoDays));

            JsonNode converted = stats.answer(request(site, "2026-05-04", "2026-05-04", List.of("goal:Signup")), UTC);
            assertEquals(2, converted.get("summary").get("visitors").asLong(), "visitors 1 and 2");
            assertEquals(4, converted.get("summary").get("pageviews").asLong());
            assertEquals(List.of("Docs 1/2 50.0", "Signup 2/3 100.0", "Pro signup 1/1 50.0"), goals(converted));
            DomainError unknown = assertThrows(DomainError.class,
                    () -> stats.answer(request(site, "2026-05-04", "2026-05-04", List.of("goal:Nope")), UTC));
            assertEquals(DomainError.Kind.INVALID, unknown.kind());
        }
    }

    /**
     * A visitor who converts in two sessions counts once with two conversions; a person who comes back the next
     * day has a new visitor id and converts as that visitor; property values that are numbers or booleans match
     * their JSON text. {@code filter=prop:} keeps the events with that value and their sessions, and
     * {@code breakdown=prop:} splits the events and the event goals by a property's values.
     */
    @Test
    void visitorsConvertOnceAcrossSessionsAndAsNewVisitorsOnAnotherDay() {
        try (StoredHits stored = StoredHits.open()) {
            Database database = stored.database();
            Sites sites = StatsFixtures.sitesOfOneTeam(database, broker.connection());
            int site = sites.create(OWNER, 0, "days.example", "", "UTC").id();
            Goals goals = new Goals(database, sites);
            goals.create(new Goals.NewGoal(OWNER, site, "Pricing", "pageview", "/pricing", "", "", ""));
            goals.create(new Goals.NewGoal(OWNER, site, "Three seats", "event", "", "Purchase", "seats", "3"));
            goals.create(new Goals.NewGoal(OWNER, site, "Trial", "event", "", "Purchase", "trial", "true"));
            stored.add(
                    // visitor 10 sees the pricing page in the morning and again in an afternoon session
                    inSession(pageview(site, 10, "2026-05-04T09:00:00Z", "/pricing"), "morning"),
                    inSession(pageview(site, 10, "2026-05-04T15:00:00Z", "/pricing"), "afternoon"),
                    pageview(site, 11, "2026-05-04T10:00:00Z", "/"),
                    // visitor 11 comes back the next day as visitor 12 and buys three seats on a trial
                    pageview(site, 12, "2026-05-05T09:00:00Z", "/pricing"),
                    event(site, 12, "2026-05-05T09:01:00Z", "Purchase", "{\"seats\":3,\"trial\":true}"),
                    pageview(site, 13, "2026-05-05T11:00:00Z", "/"),
                    event(site, 13, "2026-05-05T11:01:00Z", "Purchase", "{\"seats\":30,\"trial\":false}"));
            Stats stats = new Stats(database);

            assertEquals(List.of("Pricing 1/2 50.0", "Three seats 0/0 0.0", "Trial 0/0 0.0"),
                    goals(stats.answer(request(site, "2026-05-04", "2026-05-04", List.of()), UTC)));
            assertEquals(List.of("Pricing 2/3 50.0", "Three seats 1/1 25.0", "Trial 1/1 25.0"),
                    goals(stats.answer(request(site, "2026-05-04", "2026-05-05", List.of()), UTC)));
            assertEquals(List.of("Pricing 1/1 50.0", "Three seats 1/1 50.0", "Trial 1/1 50.0"),
                    goals(stats.answer(request(site, "2026-05-05", "2026-05-05", List.of()), UTC)));

            JsonNode threeSeats = stats.answer(request(site, "2026-05-04", "2026-05-05", List.of("prop:seats:3")), UTC);
            assertEquals(1, threeSeats.get("summary").get("visitors").asLong(), "visitor 12's session");
            assertEquals(1, threeSeats.get("summary").get("pageviews").asLong());
            assertEquals(List.of("Pricing 1/1 100.0", "Three seats 1/1 100.0", "Trial 1/1 100.0"), goals(threeSeats));
            assertEquals("Purchase 1", threeSeats.get("events").get(0).get("value").asText() + " "
                    + threeSeats.get("events").get(0).get("count").asLong());

            JsonNode bySeats = stats.answer(StatsRequest.parse(site, Optional.of("2026-05-04"), Optional.of("2026-05-05"), List.of(),
                    Optional.empty(), List.of("events,goals")).withBreakdown(Optional.of("prop:seats")), UTC);
            List<String> events = new ArrayList<>();
            bySeats.get("events_by_prop").forEach(row -> events.add(row.get("event").asText() + " " + row.get("value").asText() + " "
                    + row.get("count").asLong() + "/" + row.get("visitors").asLong()));
            assertEquals(List.of("Purchase 3 1/1", "Purchase 30 1/1"), events);
            List<String> goalValues = new ArrayList<>();
            bySeats.get("goals_by_prop").forEach(row -> goalValues.add(row.get("name").asText() + " " + row.get("value").asText() + " "
                    + row.get("visitors").asLong() + "/" + row.get("conversions").asLong() + " " + row.get("conversion_rate").asDouble()));
            assertEquals(List.of("Three seats 3 1/1 25.0", "Trial 3 1/1 25.0"), goalValues, "pageview goals have no properties");
        }
    }

    @Test
    void goalsAndAnnotationsAreValidatedAndBelongToTheirSite() {
        try (StoredHits stored = StoredHits.open()) {
            Database database = stored.database();
            Sites sites = StatsFixtures.sitesOfOneTeam(database, broker.connection());
            int site = sites.create(OWNER, 0, "rules.example", "", "UTC").id();
            Goals goals = new Goals(database, sites);
            int id = goals.create(new Goals.NewGoal(OWNER, site, "Pricing", "pageview", "/pricing", "", "", "")).id();
            assertEquals(DomainError.Kind.CONFLICT, refusal(() -> goals.create(new Goals.NewGoal(OWNER, site, "Pricing", "pageview",
                    "/other", "", "", ""))));
            assertEquals(DomainError.Kind.INVALID, refusal(() -> goals.create(new Goals.NewGoal(OWNER, site, "x", "click", "/", "", "", ""))));
            assertEquals(DomainError.Kind.INVALID, refusal(() -> goals.create(new Goals.NewGoal(OWNER, site, "x", "pageview", "pricing",
                    "", "", ""))));
            assertEquals(DomainError.Kind.INVALID, refusal(() -> goals.create(new Goals.NewGoal(OWNER, site, "x", "event", "", "Buy",
                    "plan", ""))));
            assertEquals(DomainError.Kind.NOT_FOUND, refusal(() -> goals.list(STRANGER, site)));
            assertEquals(1, goals.list(OWNER, site).goals().size());
            assertEquals(DomainError.Kind.NOT_FOUND, refusal(() -> goals.delete(STRANGER, site, id)));
            goals.delete(OWNER, site, id);
            assertEquals(DomainError.Kind.NOT_FOUND, refusal(() -> goals.delete(OWNER, site, id)));

            Annotations annotations = new Annotations(database, sites);
            annotations.create(new Annotations.NewAnnotation(OWNER, site, "2026-05-04", "New pricing page"));
            int later = annotations.create(new Annotations.NewAnnotation(OWNER, site, "2026-06-01", "Launch")).id();
            List<Annotations.Annotation> may = annotations.list(new Annotations.AnnotationQuery(OWNER, site, "2026-05-01", "2026-05-31"))
                    .annotations();
            assertEquals(1, may.size());
            assertEquals("2026-05-04 New pricing page", may.get(0).date() + " " + may.get(0).text());
            assertEquals(DomainError.Kind.INVALID, refusal(() -> annotations.create(new Annotations.NewAnnotation(OWNER, site, "May 4", "x"))));
            assertEquals(DomainError.Kind.INVALID, refusal(() -> annotations.create(new Annotations.NewAnnotation(OWNER, site, "2026-05-04", " "))));
            assertEquals(DomainError.Kind.NOT_FOUND, refusal(() -> annotations.delete(STRANGER, site, later)));
            annotations.delete(OWNER, site, later);
            assertEquals(0, annotations.list(new Annotations.AnnotationQuery(OWNER, site, "2026-06-01", "2026-06-01")).annotations().size());
        }
    }

    private static DomainError.Kind refusal(Runnable call) {
        return assertThrows(DomainError.class, call::run).kind();
    }

    private static StatsRequest request(int site, String from, String to, List<String> filters) {
        return StatsRequest.parse(site, Optional.of(from), Optional.of(to), filters, Optional.empty());
    }

    private static List<String> goals(JsonNode answer) {
        List<String> rows = new ArrayList<>();
        answer.get("goals").forEach(goal -> rows.add(goal.get("name").asText() + " " + goal.get("visitors").asLong() + "/"
                + goal.get("conversions").asLong() + " " + goal.get("conversion_rate").asDouble()));
        return rows;
    }

    /** Each visitor has one session unless a test says otherwise. */
    private static Hit pageview(int site, long visitor, String time, String path) {
        return StatsFixtures.pageview(site, visitor, "session-" + visitor, time, path);
    }

    private static Hit inSession(Hit hit, String session) {
        Hit.Builder builder = hit.toBuilder();
        builder.sessionKey = session;
        return builder.build();
    }

    private static Hit event(int site, long visitor, String time, String name, String props) {
        return StatsFixtures.event(site, visitor, "session-" + visitor, time, name, props);
    }
}
