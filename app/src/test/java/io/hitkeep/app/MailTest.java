package io.hitkeep.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.auth.SessionTokens;
import io.hitkeep.core.Settings;
import io.hitkeep.reports.digest.DigestJob;
import io.hitkeep.reports.digest.Digests;
import io.hitkeep.reports.digest.Period;
import io.hitkeep.testing.HttpSession;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mail end to end against a real SMTP server (GreenMail): reset and invitation links arrive by mail (and
 * not in the log) and work; a weekly digest carries the stats API's numbers for its week; the scheduled
 * digest goes out once per period; its one-click unsubscribe link works without signing in.
 */
class MailTest {
    private static final Mailbox MAILBOX = new Mailbox();
    private static final String SECRET = "mail-test-secret-0123456789abcdef0123456789";

    @RegisterExtension
    static SingleBinary server = new SingleBinary(Map.of(Settings.JWT_SECRET, SECRET,
            "smtp-host", "127.0.0.1", "smtp-port", Integer.toString(MAILBOX.port()), "smtp-tls", "none",
            "smtp-from", "HitKeep <hitkeep@mail-test.example>", "api-rate-limit", "100000"));

    private static final List<String> LOG = java.util.Collections.synchronizedList(new ArrayList<>());
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            LOG.add(String.valueOf(record.getMessage()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void startMailbox() {
        MAILBOX.start();
        Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void stopMailbox() {
        Logger.getLogger("").removeHandler(CAPTURE);
        MAILBOX.close();
    }

    @Test
    void aResetLinkGoesByMailNotIntoTheLogAndSetsANewPassword() {
        HttpSession anonymous = server.owner().anonymous();
        HttpSession.Response asked = anonymous.json("POST", "/api/password-reset", Map.of("email", "owner@example.com"));
        assertEquals(202, asked.status(), asked.body());

        MimeMessage mail = MAILBOX.awaitTo("owner@example.com", "Reset your HitKeep password");
        String link = Mailbox.find(mail, "(http://\\S+/reset-password\\?token=\\S+)");
        String token = link.substring(link.indexOf("token=") + "token=".length());
        assertTrue(Mailbox.part(mail, "text/html").contains(token), "the HTML part has the link too");
        assertTrue(Mailbox.header(mail, "Message-ID").startsWith("<hitkeep-mail-"), Mailbox.header(mail, "Message-ID"));
        assertTrue(LOG.stream().noneMatch(line -> line.contains(token)), "with SMTP set the link is not logged");

        HttpSession.Response reset = anonymous.json("POST", "/api/password-reset/confirm",
                Map.of("token", token, "password", "a brand new password"));
        assertEquals(200, reset.status(), reset.body());
        assertEquals(200, anonymous.json("POST", "/api/login", Map.of("email", "owner@example.com",
                "password", "a brand new password")).status(), "the new password signs in");
        assertEquals(404, anonymous.json("POST", "/api/password-reset/confirm",
                Map.of("token", token, "password", "yet another password")).status(), "the link works once");
        // the rest of the class signs in again with the owner's session, which the reset ended
        server.owner().signIn("owner@example.com", "a brand new password");
    }

    @Test
    void anInvitationGoesByMailAndItsLinkCreatesTheAccount() {
        HttpSession owner = server.owner();
        int team = owner.get("/api/teams").json().get(0).get("id").asInt();
        HttpSession.Response invited = owner.json("POST", "/api/teams/" + team + "/invitations",
                Map.of("role", "member", "email", "invitee@example.com"));
        assertEquals(201, invited.status(), invited.body());
        assertTrue(invited.json().get("mailed").asBoolean(), invited.body());

        MimeMessage mail = MAILBOX.awaitTo("invitee@example.com", "owner@example.com invited you");
        String link = Mailbox.find(mail, "(http://\\S+/invite/\\S+)");
        assertEquals(invited.json().get("link").asText(), link, "the link the inviter was shown");
        String token = link.substring(link.lastIndexOf('/') + 1);
        HttpSession.Response registered = owner.anonymous().json("POST", "/api/invitations/" + token + "/register",
                Map.of("email", "invitee@example.com", "password", "invitee password 123"));
        assertEquals(201, registered.status(), registered.body());
    }

    @Test
    void aWeeklyDigestHasTheStatsApisNumbersForItsWeek() throws Exception {
        HttpSession owner = server.owner();
        Week week = Week.withRecentHours();
        int site = owner.createSite("digest.example", week.zone().getId());
        String key = owner.json("POST", "/api/user/api-keys", Map.of("name", "digest seed")).json().get("key").asText();
        HttpSession backend = owner.withBearer(key);
        // the week's last hours (the ingest takes timestamps of the last 7 days): sessions of one to three pages
        int pageviews = 0;
        for (int visitor = 0; visitor < 6; visitor++) {
            for (int page = 0; page <= visitor % 3; page++) {
                Instant at = week.end().minus(Duration.ofMinutes(10L * visitor + page + 5));
                HttpSession.Response sent = backend.json("POST", "/api/ingest/server/pageview", Map.of(
                        "url", "https://digest.example/" + (page == 0 ? "" : "page-" + page), "visitor_ip", "203.0.113." + (10 + visitor),
                        "user_agent", HttpSession.FIREFOX_LINUX, "session_id", "digest-" + visitor,
                        "referrer", visitor % 2 == 0 ? "https://www.google.com/" : "", "timestamp", at.toString()));
                assertEquals(202, sent.status(), sent.body());
                pageviews++;
            }
        }
        int expected = pageviews;
        JsonNode stats = await(() -> owner.stats(site, week.range().from(), week.range().to()).json(),
                json -> json.get("summary").get("pageviews").asInt() == expected);
        JsonNode before = owner.stats(site, week.range().previous().from(), week.range().previous().to()).json();

        String launchDay = week.range().to().toString();
        assertEquals(201, owner.json("POST", "/api/sites/" + site + "/annotations", Map.of("date", launchDay, "text", "Launched the digest")).status());
        assertEquals(201, owner.json("POST", "/api/sites/" + site + "/annotations",
                Map.of("date", week.range().previous().to().toString(), "text", "Before this week")).status());
        assertEquals(200, owner.json("PUT", "/api/sites/" + site + "/reports", Map.of("weekly", true)).status());
        HttpSession.Response sent = owner.json("POST", "/api/sites/" + site + "/reports/send-now", Map.of("period", "week"));
        assertEquals(202, sent.status(), sent.body());
        assertEquals(week.range().from().toString(), sent.json().get("from").asText());

        MimeMessage digest = awaitSubject("digest.example: " + week.range().title());
        String text = Mailbox.part(digest, "text/plain");
        JsonNode summary = stats.get("summary");
        assertTrue(text.contains(figure("Visitors", String.format(Locale.ENGLISH, "%,d", summary.get("visitors").asLong()))), text);
        assertTrue(text.contains(figure("Pageviews", String.format(Locale.ENGLISH, "%,d", summary.get("pageviews").asLong()))), text);
        assertTrue(text.contains(figure("Bounce rate", Math.round(summary.get("bounce_rate").asDouble()) + "%")), text);
        assertTrue(text.contains("Visit duration"), text);
        assertEquals(0, before.get("summary").get("visitors").asLong(), "nothing in the week before");
        assertTrue(text.contains("new vs the week before"), "a change against an empty week is 'new': " + text);
        for (JsonNode page : stats.get("pages")) {
            assertTrue(text.contains(page.get("value").asText()), "top page " + page + " in:\n" + text);
        }
        assertTrue(text.contains("Google"), "the top source: " + text);
        assertTrue(text.contains("Launched the digest"), "the week's annotation: " + text);
        assertFalse(text.contains("Before this week"), "an annotation of another week is not: " + text);
        String html = Mailbox.part(digest, "text/html");
        assertTrue(html.contains(String.format(Locale.ENGLISH, "%,d", summary.get("pageviews").asLong())), "the HTML part has the numbers");
        assertFalse(html.contains("<img") || html.contains("src=\"http"), "no remote images");
        assertTrue(html.contains("prefers-color-scheme: dark"), "a dark variant");
        assertTrue(Mailbox.header(digest, "List-Unsubscribe").contains("/api/reports/unsubscribe?token="));
        assertEquals("List-Unsubscribe=One-Click", Mailbox.header(digest, "List-Unsubscribe-Post"));

        HttpSession.Response again = owner.json("POST", "/api/sites/" + site + "/reports/send-now", Map.of("period", "week"));
        assertEquals(429, again.status(), "send-now is rate limited: " + again.body());
    }

    @Test
    void theScheduledDigestGoesOutOncePerPeriodAndItsOneClickLinkUnsubscribes() throws Exception {
        HttpSession owner = server.owner();
        int site = owner.createSite("scheduled.example", "UTC");
        HttpSession.Response subscribed = owner.json("PUT", "/api/sites/" + site + "/reports", Map.of("weekly", true, "monthly", false));
        assertEquals(200, subscribed.status(), subscribed.body());
        assertTrue(subscribed.json().get("weekly").asBoolean());
        assertTrue(subscribed.json().get("mail_configured").asBoolean());

        // a week from now, this week has ended: the job queues its digest once, however often it runs
        HitKeep hitKeep = server.hitKeep();
        Settings settings = Settings.of(Map.of(Settings.JWT_SECRET, SECRET));
        Clock nextWeek = Clock.offset(Clock.systemUTC(), Duration.ofDays(7));
        DigestJob job = new DigestJob(hitKeep.store(), new Digests(hitKeep.store(), new SessionTokens(settings)),
                "http://127.0.0.1:" + server.port(), nextWeek);
        String first = job.run();
        assertTrue(first.contains("queued"), first);
        assertEquals("", job.run(), "the second run finds the period mailed");
        Period.Range week = Period.WEEK.lastDue(LocalDateTime.now(nextWeek.withZone(ZoneOffset.UTC)));
        MimeMessage digest = awaitSubject("scheduled.example: " + week.title());
        Mailbox.sleep(1000);
        assertEquals(1, MAILBOX.received().stream().filter(message -> subject(message).startsWith("scheduled.example")).count());

        String unsubscribe = Mailbox.header(digest, "List-Unsubscribe").replaceAll("^<|>$", "");
        String path = URI.create(unsubscribe).getRawPath() + "?" + URI.create(unsubscribe).getRawQuery();
        HttpSession anonymous = owner.anonymous();
        HttpSession.Response page = anonymous.send("GET", path, null, Map.of("Accept", "text/html"));
        assertEquals(200, page.status());
        assertTrue(page.body().contains("<form method=\"post\""), "a GET only asks: " + page.body());
        assertTrue(owner.get("/api/sites/" + site + "/reports").json().get("weekly").asBoolean(), "a GET changes nothing");

        // what a mail client's one-click button sends (RFC 8058): no cookie, a form body
        HttpSession.Response clicked = anonymous.send("POST", path, "List-Unsubscribe=One-Click".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertEquals(200, clicked.status(), clicked.body());
        assertTrue(clicked.body().contains("unsubscribed"), clicked.body());
        assertFalse(owner.get("/api/sites/" + site + "/reports").json().get("weekly").asBoolean(), "unsubscribed");

        HttpSession.Response forged = anonymous.send("POST", "/api/reports/unsubscribe?token=forged", new byte[0], Map.of());
        assertEquals(404, forged.status(), forged.body());
        assertTrue(forged.json().has("error"), forged.body());
    }

    @Test
    void readyzShowsTheScheduledJobs() {
        JsonNode ready = server.owner().anonymous().get("/readyz").json();
        assertTrue(ready.get("scheduler").get("leader").asBoolean(), ready.toString());
        assertTrue(ready.get("scheduler").get("jobs").has("outbox"), ready.toString());
        assertTrue(ready.get("scheduler").get("jobs").has("digests"), ready.toString());
    }

    private static String figure(String label, String value) {
        return String.format(Locale.ROOT, "%-16s %10s", label, value);
    }

    private static String subject(MimeMessage message) {
        return Mailbox.subject(message);
    }

    private static MimeMessage awaitSubject(String prefix) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            for (MimeMessage message : MAILBOX.received()) {
                if (subject(message).startsWith(prefix)) {
                    return message;
                }
            }
            if (System.nanoTime() > deadline) {
                List<String> subjects = MAILBOX.received().stream().map(MailTest::subject).toList();
                throw new AssertionError("no mail '" + prefix + "...'; got " + subjects);
            }
            Mailbox.sleep(50);
        }
    }

    private static JsonNode await(java.util.function.Supplier<JsonNode> read, java.util.function.Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = read.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never reached: " + last);
            }
            Mailbox.sleep(50);
            last = read.get();
        }
        return last;
    }

    /**
     * The week a digest sent now covers, in a time zone where its last hours lie within the last 7 days
     * (server-side ingest takes no older timestamps): in UTC, or in Tokyo while UTC is early on a Monday.
     */
    private record Week(ZoneId zone, Period.Range range, Instant end) {
        static Week withRecentHours() {
            for (String name : List.of("UTC", "Asia/Tokyo", "America/New_York")) {
                ZoneId zone = ZoneId.of(name);
                Period.Range range = Period.WEEK.lastDue(LocalDateTime.now(zone));
                Instant end = ZonedDateTime.of(range.to().plusDays(1).atStartOfDay(), zone).toInstant();
                if (Duration.between(Instant.now().minus(Duration.ofDays(7)), end).compareTo(Duration.ofHours(2)) > 0) {
                    return new Week(zone, range, end);
                }
            }
            throw new IllegalStateException("no zone has two hours of its last week within the last 7 days");
        }
    }

}
