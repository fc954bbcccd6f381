package io.hitkeep.app;

import io.hitkeep.testing.HttpSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.hitkeep.core.Settings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code /api} route against every kind of caller, asserting the status of each: anonymous, a
 * member, an admin and the owner of team A, the owner of another team B, a revoked API key, an expired
 * session token, and three API keys (A's owner with the owner role and with the member role, B's owner).
 * Routes that use up what they act on (delete a site, revoke an invitation, remove a member, ...) get a
 * fresh one for every caller. The matrix is written to {@code target/permission-matrix.txt}.
 */
class PermissionMatrixTest {
    private static final String SECRET = "permission-matrix-secret-0123456789abcdef";

    @RegisterExtension
    static SingleBinary server = new SingleBinary(Map.of(Settings.JWT_SECRET, SECRET,
            "login-rate-limit", "10000", "api-rate-limit", "100000", "ingest-rate-limit", "100000"));

    /** The columns, in the order of every row's expected statuses. */
    private static final List<String> CALLERS = List.of("anonymous", "member", "admin", "owner", "other-owner",
            "revoked-key", "expired-token", "owner-key", "member-role-key", "other-key");

    private static HttpSession owner;
    private static HttpSession member;
    private static HttpSession admin;
    private static HttpSession otherOwner;
    private static int teamA;
    private static int teamB;
    private static int siteA;
    private static long memberId;
    private static final Map<String, HttpSession> callers = new LinkedHashMap<>();
    private static final AtomicInteger fresh = new AtomicInteger();

    private record Row(String method, String route, Supplier<String> path, Supplier<Object> body, String expected) {
    }

    @BeforeAll
    static void teams() {
        owner = server.owner();
        teamA = owner.get("/api/teams").json().get(0).get("id").asInt();
        siteA = owner.createSite("matrix.example", "UTC");
        admin = join(teamA, "admin", "admin@example.com");
        member = join(teamA, "member", "member@example.com");
        memberId = userId(member);
        otherOwner = join(teamA, "member", "other@example.com");
        teamB = otherOwner.json("POST", "/api/teams", Map.of("name", "Team B")).json().get("id").asInt();
        otherOwner.createSite("other-team.example", "UTC");
        assertEquals(200, owner.json("DELETE", "/api/teams/" + teamA + "/members/" + userId(otherOwner), null).status(),
                "the other team's owner is no longer in team A");

        String revoked = key(owner, Map.of("name", "revoked", "team_id", teamA));
        long revokedId = owner.get("/api/user/api-keys").json().get(0).get("id").asLong();
        assertEquals(200, owner.json("DELETE", "/api/user/api-keys/" + revokedId, null).status());

        callers.put("anonymous", owner.anonymous());
        callers.put("member", member);
        callers.put("admin", admin);
        callers.put("owner", owner);
        callers.put("other-owner", otherOwner);
        callers.put("revoked-key", owner.withBearer(revoked));
        callers.put("expired-token", owner.withCookie(expiredToken(userId(owner))));
        callers.put("owner-key", owner.withBearer(key(owner, Map.of("name", "owner key", "team_id", teamA))));
        callers.put("member-role-key", owner.withBearer(key(owner, Map.of("name", "read key", "team_id", teamA, "role", "member"))));
        callers.put("other-key", otherOwner.withBearer(key(otherOwner, Map.of("name", "b key", "team_id", teamB))));
    }

    @Test
    void everyRouteAgainstEveryCaller() throws Exception {
        String team = "/api/teams/" + teamA;
        String site = "/api/sites/" + siteA;
        String today = LocalDate.now().toString();
        List<Row> rows = List.of(
                //                                                                        anon mem adm own oth rev exp okey mkey xkey
                row("GET", "/api/user", null, "                                           401 200 200 200 200 401 401 200 200 200"),
                row("GET", "/api/sites", null, "                                          401 200 200 200 200 401 401 200 200 200"),
                new Row("POST", "/api/sites", () -> "/api/sites",
                        () -> Map.of("domain", "new" + fresh.incrementAndGet() + ".example", "timezone", "UTC"),
                        "                                                                 401 403 201 201 201 401 401 201 403 201"),
                row("GET", site, null, "                                                  401 200 200 200 404 401 401 200 200 404"),
                row("PATCH", site, Map.of("honour_dnt", true), "                          401 403 200 200 404 401 401 200 403 404"),
                row("PATCH", site, Map.of("umami_website_id", "6a1e8f5c-0b2d-4c3e-9f4a-5b6c7d8e9f01"),
                        "                                                                 401 403 200 200 404 401 401 200 403 404"),
                row("PATCH", site, Map.of("goatcounter_code", "matrix-code"),
                        "                                                                 401 403 200 200 404 401 401 200 403 404"),
                row("GET", site + "/stats?from=" + today + "&to=" + today, null, "        401 200 200 200 404 401 401 200 200 404"),
                row("GET", site + "/live", null, "                                        401 200 200 200 404 401 401 200 200 404"),
                row("POST", site + "/rollups/rebuild", null, "                            401 403 202 202 404 401 401 202 403 404"),
                row("GET", site + "/export?from=" + today + "&to=" + today, null, "       401 200 200 200 404 401 401 200 200 404"),
                new Row("DELETE", "/api/sites/{fresh}", () -> "/api/sites/" + owner.createSite("gone" + fresh.incrementAndGet()
                        + ".example", "UTC"), () -> null, "                               401 403 403 200 404 401 401 200 403 404"),
                row("GET", site + "/goals", null, "                                       401 200 200 200 404 401 401 200 200 404"),
                new Row("POST", site + "/goals", () -> site + "/goals", () -> Map.of("name", "goal " + fresh.incrementAndGet(),
                        "type", "pageview", "path", "/signup"), "                         401 403 201 201 404 401 401 201 403 404"),
                new Row("DELETE", site + "/goals/{fresh}", () -> site + "/goals/" + owner.json("POST", site + "/goals",
                        Map.of("name", "gone " + fresh.incrementAndGet(), "type", "event", "event", "Signup")).json().get("id").asInt(),
                        () -> null, "                                                     401 403 200 200 404 401 401 200 403 404"),
                row("GET", site + "/annotations", null, "                                 401 200 200 200 404 401 401 200 200 404"),
                row("POST", site + "/annotations", Map.of("date", today, "text", "release"), "401 403 201 201 404 401 401 201 403 404"),
                new Row("DELETE", site + "/annotations/{fresh}", () -> site + "/annotations/" + owner.json("POST", site + "/annotations",
                        Map.of("date", today, "text", "gone")).json().get("id").asInt(),
                        () -> null, "                                                     401 403 200 200 404 401 401 200 403 404"),
                row("GET", site + "/funnels", null, "                                     401 200 200 200 404 401 401 200 200 404"),
                new Row("POST", site + "/funnels", () -> site + "/funnels", () -> funnelBody("funnel " + fresh.incrementAndGet()),
                        "                                                                 401 403 201 201 404 401 401 201 403 404"),
                new Row("GET", site + "/funnels/{fresh}?from=&to=", () -> site + "/funnels/" + funnel(site) + "?from=" + today + "&to=" + today,
                        () -> null, "                                                     401 200 200 200 404 401 401 200 200 404"),
                new Row("DELETE", site + "/funnels/{fresh}", () -> site + "/funnels/" + funnel(site),
                        () -> null, "                                                     401 403 200 200 404 401 401 200 403 404"),
                // the API's description is public: every caller reads it, even with a revoked key or an expired token
                row("GET", "/api/docs/openapi.json", null, "                              200 200 200 200 200 200 200 200 200 200"),
                row("GET", site + "/reports", null, "                                     401 200 200 200 404 401 401 200 200 404"),
                row("PUT", site + "/reports", Map.of("weekly", true), "                    401 200 200 200 404 401 401 200 200 404"),
                // this server sends no mail: refused as such once the caller may read the site
                row("POST", site + "/reports/send-now", Map.of("period", "week"), "       401 409 409 409 404 401 401 409 409 404"),
                // open to everyone: the signed token is the proof, and a forged one is unknown to all
                row("POST", "/api/reports/unsubscribe?token=forged", Map.of(), "          404 404 404 404 404 404 404 404 404 404"),
                row("GET", site + "/imports", null, "                                     401 200 200 200 404 401 401 200 200 404"),
                new Row("POST", site + "/imports?source=goatcounter", () -> site + "/imports?source=goatcounter",
                        () -> oneDayExport(fresh.incrementAndGet()), "                    401 403 201 201 404 401 401 201 403 404"),
                new Row("DELETE", site + "/imports/{fresh}", () -> site + "/imports/" + owner.upload("POST", site
                        + "/imports?source=goatcounter", oneDayExport(fresh.incrementAndGet()), "text/csv").json().get("id").asInt(),
                        () -> null, "                                                     401 403 200 200 404 401 401 200 403 404"),
                row("GET", site + "/share-links", null, "                                 401 403 200 200 404 401 401 200 403 404"),
                row("POST", site + "/share-links", Map.of("label", "public"), "           401 403 201 201 404 401 401 201 403 404"),
                new Row("DELETE", site + "/share-links/{fresh}", () -> site + "/share-links/" + owner.json("POST",
                        site + "/share-links", Map.of()).json().get("id").asInt(),
                        () -> null, "                                                     401 403 200 200 404 401 401 200 403 404"),
                row("GET", "/api/teams", null, "                                          401 200 200 200 200 401 401 200 200 200"),
                row("POST", "/api/teams", Map.of("name", "Another team"), "               401 201 201 201 201 401 401 403 403 403"),
                row("GET", team, null, "                                                  401 200 200 200 404 401 401 200 200 404"),
                row("PATCH", team, Map.of("name", "Team A"), "                            401 403 403 200 404 401 401 200 403 404"),
                row("GET", team + "/invitations", null, "                                 401 403 200 200 404 401 401 200 403 404"),
                row("POST", team + "/invitations", Map.of("role", "member"), "            401 403 201 201 404 401 401 201 403 404"),
                new Row("DELETE", team + "/invitations/{fresh}", () -> team + "/invitations/" + invitation("member").get("id").asInt(),
                        () -> null, "                                                     401 403 200 200 404 401 401 200 403 404"),
                row("PATCH", team + "/members/" + memberId, Map.of("role", "member"), "   401 403 403 200 404 401 401 200 403 404"),
                new Row("DELETE", team + "/members/{fresh}", () -> team + "/members/" + userId(join(teamA, "member",
                        "leaving" + fresh.incrementAndGet() + "@example.com")), () -> null, "401 403 403 200 404 401 401 200 403 404"),
                row("GET", team + "/api-keys", null, "                                    401 403 403 200 404 401 401 403 403 403"),
                row("GET", team + "/audit", null, "                                       401 403 403 200 404 401 401 403 403 403"),
                row("POST", "/api/user/api-keys", Map.of("name", "k", "team_id", teamA), "401 201 201 201 404 401 401 403 403 403"),
                row("GET", "/api/user/api-keys", null, "                                  401 200 200 200 200 401 401 403 403 403"),
                new Row("DELETE", "/api/user/api-keys/{owner's fresh key}", () -> {
                    key(owner, Map.of("name", "fresh", "team_id", teamA));
                    return "/api/user/api-keys/" + owner.get("/api/user/api-keys").json().get(0).get("id").asLong();
                }, () -> null, "                                                          401 404 404 200 404 401 401 403 403 403"),
                // a wrong current password: refused as such (403) to every signed-in person, never to a key
                row("PUT", "/api/user/password", Map.of("current_password", "not the password",
                        "new_password", "another long password"), "                       401 403 403 403 403 401 401 403 403 403"),
                row("GET", "/api/user/passkeys", null, "                                  401 200 200 200 200 401 401 200 200 200"),
                row("POST", "/api/user/passkeys/register/start", Map.of(), "              401 200 200 200 200 401 401 403 403 403"),
                // a made-up ceremony: refused as such to people, and as a key before that
                row("POST", "/api/user/passkeys/register/finish", Map.of("ceremony", "x", "credential", Map.of()),
                        "                                                                 401 401 401 401 401 401 401 403 403 403"),
                row("PATCH", "/api/user/passkeys/999", Map.of("name", "n"), "             401 404 404 404 404 401 401 404 404 404"),
                row("DELETE", "/api/user/passkeys/999", null, "                           401 404 404 404 404 401 401 403 403 403"),
                row("GET", "/api/audit", null, "                                          401 200 200 200 200 401 401 403 403 403"),
                row("POST", "/api/user/totp", Map.of(), "                                 401 200 200 200 200 401 401 403 403 403"),
                // a wrong code after the enrolment just started: refused as a bad code, not as a permission
                row("POST", "/api/user/totp/confirm", Map.of("code", "000000"), "         401 400 400 400 400 401 401 403 403 403"),
                row("DELETE", "/api/user/totp", Map.of("code", "000000"), "              401 409 409 409 409 401 401 403 403 403"),
                new Row("POST", "/api/teams/join", () -> "/api/teams/join", () -> Map.of("token", invitation("member").get("token").asText()),
                        "                                                                 401 200 200 200 200 401 401 403 403 403"),
                row("POST", "/api/ingest/server/pageview", Map.of("url", "https://matrix.example/", "visitor_ip", "203.0.113.9",
                        "user_agent", HttpSession.FIREFOX_LINUX), "                       401 403 403 403 403 401 401 202 403 403"),
                row("POST", "/api/ingest/server/event", Map.of("name", "Signup", "url", "https://matrix.example/",
                        "visitor_ip", "203.0.113.9", "user_agent", HttpSession.FIREFOX_LINUX), "401 403 403 403 403 401 401 202 403 403"),
                // other tools' tracker endpoints under /api are ingest: open to every caller, credentials or not, and
                // acting on nothing of theirs (a hit for a site nobody registered is dropped like any other)
                row("POST", "/api/event", Map.of("n", "pageview", "u", "https://matrix-nobody.example/", "d", "matrix-nobody.example"),
                        "                                                                 202 202 202 202 202 202 202 202 202 202"),
                row("POST", "/api/send", Map.of("type", "event", "payload", Map.of("website", "0f9a3c52-7d41-4e6b-8a2c-9b1d0e3f4a5b",
                        "hostname", "matrix-nobody.example", "url", "/")), "              200 200 200 200 200 200 200 200 200 200"),
                row("OPTIONS", "/api/send", null, "                                        204 204 204 204 204 204 204 204 204 204"));
        // Not in the table: POST /api/user/sign-out-everywhere (it would end the sessions the table uses; see
        // AccountSecurityTest) and the routes open to everyone (initial-user, login, logout, invitations/{token}).
        // GoatCounter's /count is not under /api (CompatibleTrackerRoutesTest covers it and the paths beside these).

        List<String> failures = new ArrayList<>();
        StringBuilder matrix = new StringBuilder(String.format("%-8s %-50s", "method", "route"));
        CALLERS.forEach(caller -> matrix.append(String.format(" %15s", caller)));
        matrix.append('\n');
        for (Row row : rows) {
            String[] expected = row.expected().strip().split("\\s+");
            assertEquals(CALLERS.size(), expected.length, row.route());
            matrix.append(String.format("%-8s %-50s", row.method(), row.route()));
            for (int i = 0; i < CALLERS.size(); i++) {
                String name = CALLERS.get(i);
                Object body = row.body().get();
                HttpSession.Response answer = body instanceof byte[] file
                        ? callers.get(name).upload(row.method(), row.path().get(), file, "text/csv")
                        : callers.get(name).json(row.method(), row.path().get(), body);
                matrix.append(String.format(" %15d", answer.status()));
                if (answer.status() != Integer.parseInt(expected[i])) {
                    failures.add(row.method() + " " + row.route() + " as " + name + ": expected " + expected[i] + ", got "
                            + answer.status() + " " + answer.body());
                }
                if (answer.status() >= 400) {
                    boolean clean = answer.json() != null && answer.json().hasNonNull("error")
                            && !answer.body().contains("Exception") && !answer.body().contains("\tat ");
                    if (!clean) {
                        failures.add(row.method() + " " + row.route() + " as " + name + ": not a clean JSON error: " + answer.body());
                    }
                    if (answer.body().contains("matrix.example") || answer.body().contains("Team A")) {
                        failures.add(row.method() + " " + row.route() + " as " + name + ": the refusal names what it protects");
                    }
                }
            }
            matrix.append('\n');
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/permission-matrix.txt"), matrix);
        assertTrue(failures.isEmpty(), String.join("\n", failures) + "\n\n" + matrix);
    }

    /** A GoatCounter export of one pageview on a day of its own (imports of a site may not share days). */
    private static byte[] oneDayExport(int day) {
        return ("2Path,Title,Event,UserAgent,Browser,System,Session,Bot,Referrer,Referrer scheme,Screen size,Location,FirstVisit,Date\n"
                + "/,,false,,,,s,0,,,,,true," + LocalDate.of(2020, 1, 1).plusDays(day) + "T12:00:00Z\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void listsShowOnlyWhatTheCallerMaySee() {
        List<String> otherSites = new ArrayList<>();
        otherOwner.get("/api/sites").json().forEach(site -> otherSites.add(site.get("domain").asText()));
        assertFalse(otherSites.contains("matrix.example"), "team B's owner does not see team A's sites: " + otherSites);
        assertTrue(otherSites.contains("other-team.example"));

        JsonNode memberSites = member.get("/api/sites").json();
        assertTrue(memberSites.size() > 0);
        memberSites.forEach(site -> assertEquals("member", site.get("role").asText(), site.toString()));
        JsonNode teams = callers.get("other-key").get("/api/teams").json();
        assertEquals(1, teams.size(), "a key sees its own team only: " + teams);
        assertEquals(teamB, teams.get(0).get("id").asInt());

        JsonNode team = member.get("/api/teams/" + teamA).json();
        assertFalse(team.has("invitations"), "a member does not see invitation details");
        assertTrue(admin.get("/api/teams/" + teamA).json().has("invitations"));
    }

    @Test
    void demotingAPersonLimitsTheirKeysAtOnce() {
        HttpSession promoted = join(teamA, "admin", "demoted" + fresh.incrementAndGet() + "@example.com");
        HttpSession key = promoted.withBearer(key(promoted, Map.of("name", "admin key", "team_id", teamA)));
        assertEquals(200, key.json("PATCH", "/api/sites/" + siteA, Map.of("honour_dnt", true)).status());
        assertEquals(200, owner.json("PATCH", "/api/teams/" + teamA + "/members/" + userId(promoted),
                Map.of("role", "member")).status());
        assertEquals(403, key.json("PATCH", "/api/sites/" + siteA, Map.of("honour_dnt", true)).status(),
                "a key acts with the weaker of its role and its owner's current one");
        assertEquals(200, key.get("/api/sites/" + siteA).status());
        assertEquals(200, owner.json("DELETE", "/api/teams/" + teamA + "/members/" + userId(promoted), null).status());
        assertEquals(401, key.get("/api/sites").status(), "the keys of a removed member stop working");
    }

    @Test
    void theLastOwnerCannotLeaveOrStepDown() {
        long ownerId = userId(owner);
        assertEquals(409, owner.json("PATCH", "/api/teams/" + teamA + "/members/" + ownerId, Map.of("role", "admin")).status());
        assertEquals(409, owner.json("DELETE", "/api/teams/" + teamA + "/members/" + ownerId, null).status());
        assertEquals(403, admin.json("POST", "/api/teams/" + teamA + "/invitations", Map.of("role", "owner")).status(),
                "an admin cannot invite an owner");
    }

    @Test
    void invitationsAreSingleUseAndCanBeBoundToAnAddress() {
        JsonNode invitation = invitation("admin");
        String token = invitation.get("token").asText();
        assertTrue(invitation.get("link").asText().endsWith("/invite/" + token), invitation.toString());
        HttpSession anonymous = owner.anonymous();
        JsonNode peek = anonymous.get("/api/invitations/" + token).json();
        assertEquals("admin", peek.get("role").asText());
        assertEquals(201, anonymous.json("POST", "/api/invitations/" + token + "/register",
                Map.of("email", "once@example.com", "password", "a long enough password")).status());
        assertEquals(404, anonymous.get("/api/invitations/" + token).status(), "used");
        assertEquals(404, anonymous.json("POST", "/api/invitations/" + token + "/register",
                Map.of("email", "twice@example.com", "password", "a long enough password")).status());
        assertEquals(404, anonymous.get("/api/invitations/not-a-token").status());

        String bound = owner.json("POST", "/api/teams/" + teamA + "/invitations",
                Map.of("role", "member", "email", "bound@example.com")).json().get("token").asText();
        assertEquals(403, anonymous.json("POST", "/api/invitations/" + bound + "/register",
                Map.of("email", "someone-else@example.com", "password", "a long enough password")).status());
        assertEquals(201, anonymous.json("POST", "/api/invitations/" + bound + "/register",
                Map.of("email", "bound@example.com", "password", "a long enough password")).status());

        String revoked = invitation("member").get("id").asText();
        assertEquals(200, owner.json("DELETE", "/api/teams/" + teamA + "/invitations/" + revoked, null).status());
        assertEquals(404, owner.json("DELETE", "/api/teams/" + teamA + "/invitations/" + revoked, null).status());
    }

    @Test
    void ownersReadTheTeamsAuditLog() {
        int link = owner.json("POST", "/api/sites/" + siteA + "/share-links", Map.of("label", "audited")).json().get("id").asInt();
        assertEquals(200, owner.json("DELETE", "/api/sites/" + siteA + "/share-links/" + link, null).status());
        JsonNode events = owner.get("/api/teams/" + teamA + "/audit").json().get("events");
        List<String> shareEvents = new ArrayList<>();
        events.forEach(event -> {
            if (event.get("event").asText().startsWith("share_link_")) {
                shareEvents.add(event.get("event").asText() + " " + event.get("detail").asText());
            }
        });
        assertTrue(shareEvents.contains("share_link_created matrix.example: audited"), shareEvents.toString());
        assertTrue(shareEvents.contains("share_link_revoked matrix.example: link " + link), shareEvents.toString());
        List<String> names = new ArrayList<>();
        events.forEach(event -> names.add(event.get("event").asText()));
        for (String wanted : List.of("member_invited", "member_joined", "member_removed", "api_key_created", "api_key_revoked",
                "share_link_created", "share_link_revoked")) {
            assertTrue(names.contains(wanted), wanted + " in " + names);
        }
        events.forEach(event -> assertFalse(event.get("ip").asText().matches("\\d+\\.\\d+\\.\\d+\\.[1-9]\\d*"),
                "no full address: " + event));
        JsonNode otherTeam = otherOwner.get("/api/teams/" + teamB + "/audit").json().get("events");
        otherTeam.forEach(event -> assertFalse(event.get("detail").asText().contains("matrix"), event.toString()));
    }

    /** A new funnel of site A, created by its owner. */
    private static int funnel(String site) {
        HttpSession.Response created = owner.json("POST", site + "/funnels", funnelBody("gone " + fresh.incrementAndGet()));
        assertEquals(201, created.status(), created.body());
        return created.json().get("id").asInt();
    }

    private static Map<String, Object> funnelBody(String name) {
        return Map.of("name", name, "window", "session", "steps", List.of(Map.of("type", "pageview", "path", "/pricing"),
                Map.of("type", "event", "event", "Signup")));
    }

    private static Row row(String method, String path, Object body, String expected) {
        return new Row(method, path, () -> path, () -> body, expected);
    }

    /** A new account that joined team A with the role through an invitation link. */
    private static HttpSession join(int team, String role, String email) {
        String token = owner.json("POST", "/api/teams/" + team + "/invitations", Map.of("role", role)).json().get("token").asText();
        HttpSession session = owner.anonymous();
        HttpSession.Response registered = session.json("POST", "/api/invitations/" + token + "/register",
                Map.of("email", email, "password", "a long enough password"));
        assertEquals(201, registered.status(), registered.body());
        return session.keepCookie(registered);
    }

    private static JsonNode invitation(String role) {
        HttpSession.Response created = owner.json("POST", "/api/teams/" + teamA + "/invitations", Map.of("role", role));
        assertEquals(201, created.status(), created.body());
        return created.json();
    }

    private static String key(HttpSession session, Map<String, Object> body) {
        HttpSession.Response created = session.json("POST", "/api/user/api-keys", body);
        assertEquals(201, created.status(), created.body());
        return created.json().get("key").asText();
    }

    private static long userId(HttpSession session) {
        return session.get("/api/user").json().get("id").asLong();
    }

    /** A session token signed with the server's own key that expired a minute ago. */
    private static String expiredToken(long userId) {
        try {
            Instant now = Instant.now();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().issuer("hitkeep")
                    .subject(Long.toString(userId)).issueTime(Date.from(now.minusSeconds(3600)))
                    .expirationTime(Date.from(now.minusSeconds(60))).jwtID("expired").claim("sep", 0L).build());
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
