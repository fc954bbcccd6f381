package io.hitkeep.app;

import io.hitkeep.testing.HttpSession;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Public share links (with and without a password), password reset by link, password change and
 * "remember me", against the single binary.
 */
class SharingAndRecoveryTest {
    @RegisterExtension
    static SingleBinary server = new SingleBinary(Map.of("login-rate-limit", "1000"));

    @Test
    void aShareLinkShowsOneSitesStatsUntilItIsRevoked() {
        HttpSession owner = server.owner();
        int site = owner.createSite("shared.example", "UTC");
        int other = owner.createSite("not-shared.example", "UTC");
        assertEquals(202, owner.pageview(HttpSession.FIREFOX_LINUX, "198.51.100.7",
                Map.of("url", "https://shared.example/pricing")).status());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode ownersView = owner.awaitStats(site, today, stats -> stats.get("summary").get("pageviews").asLong() == 1);

        JsonNode link = owner.json("POST", "/api/sites/" + site + "/share-links", Map.of("label", "investors")).json();
        String token = link.get("token").asText();
        assertTrue(link.get("link").asText().endsWith("/share/" + token));
        assertFalse(link.get("has_password").asBoolean());

        HttpSession visitor = owner.anonymous();
        JsonNode page = visitor.get("/api/share/" + token).json();
        assertEquals("shared.example", page.get("domain").asText());
        assertFalse(page.get("password_required").asBoolean());
        JsonNode shared = visitor.get("/api/share/" + token + "/stats?from=" + today + "&to=" + today).json();
        assertEquals(ownersView.get("summary"), shared.get("summary"), "the same numbers as the owner's");
        assertEquals(ownersView.get("pages"), shared.get("pages"));
        assertEquals(401, visitor.get("/api/sites/" + other + "/stats").status(),
                "the link opens nothing else: other sites need a session");
        assertFalse(owner.get("/api/sites/" + site + "/share-links").body().contains(token), "the token is shown once");

        assertEquals(200, owner.json("DELETE", "/api/sites/" + site + "/share-links/" + link.get("id").asInt(), null).status());
        assertEquals(404, visitor.get("/api/share/" + token).status());
        assertEquals(404, visitor.get("/api/share/" + token + "/stats").status());
        assertEquals(404, visitor.get("/api/share/not-a-token/stats").status());
    }

    @Test
    void aPasswordProtectedLinkNeedsItsPasswordAndLocksOutGuessing() {
        HttpSession owner = server.owner();
        int site = owner.createSite("secret-share.example", "UTC");
        JsonNode link = owner.json("POST", "/api/sites/" + site + "/share-links", Map.of("password", "open sesame")).json();
        JsonNode open = owner.json("POST", "/api/sites/" + site + "/share-links", Map.of()).json();
        assertTrue(link.get("has_password").asBoolean());
        String token = link.get("token").asText();
        HttpSession visitor = owner.anonymous();
        assertTrue(visitor.get("/api/share/" + token).json().get("password_required").asBoolean());
        assertEquals(401, visitor.get("/api/share/" + token + "/stats").status());

        assertEquals(401, visitor.json("POST", "/api/share/" + token + "/unlock", Map.of("password", "wrong")).status());
        String access = visitor.json("POST", "/api/share/" + token + "/unlock", Map.of("password", "open sesame"))
                .json().get("access").asText();
        assertEquals(200, visitor.send("GET", "/api/share/" + token + "/stats", null, Map.of("X-Share-Access", access)).status());
        assertEquals(401, visitor.send("GET", "/api/share/" + token + "/stats", null,
                Map.of("X-Share-Access", access.substring(0, access.length() - 2) + "xx")).status(), "tampered");
        assertEquals(200, visitor.get("/api/share/" + open.get("token").asText() + "/stats").status());
        assertEquals(401, visitor.send("GET", "/api/share/" + token + "/stats", null,
                Map.of("X-Share-Access", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.")).status(), "alg none");

        int status = 0;
        for (int attempt = 0; attempt < 10 && status != 429; attempt++) {
            status = visitor.json("POST", "/api/share/" + token + "/unlock", Map.of("password", "guess " + attempt)).status();
        }
        assertEquals(429, status, "guessing a link's password is locked out");
    }

    @Test
    void aResetLinkSetsANewPasswordOnceAndEndsEverySession() {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("io.hitkeep.auth.AccountRoutes");
        logger.addHandler(capture);
        try {
            HttpSession owner = server.owner();
            String email = "reset" + System.nanoTime() + "@example.com";
            HttpSession user = join(owner, email, "the first password");
            HttpSession anonymous = owner.anonymous();

            HttpSession.Response unknown = anonymous.json("POST", "/api/password-reset", Map.of("email", "nobody@example.com"));
            HttpSession.Response known = anonymous.json("POST", "/api/password-reset", Map.of("email", email));
            assertEquals(202, unknown.status());
            assertEquals(unknown.body(), known.body(), "the answer does not tell who has an account");
            String message = logged.stream().filter(line -> line.contains("reset-password?token=")).reduce((a, b) -> b).orElseThrow();
            Matcher matcher = Pattern.compile("token=([A-Za-z0-9_-]+)").matcher(message);
            assertTrue(matcher.find(), message);
            String token = matcher.group(1);

            assertEquals(400, anonymous.json("POST", "/api/password-reset/confirm", Map.of("token", token, "password", "short")).status());
            assertEquals(200, anonymous.json("POST", "/api/password-reset/confirm",
                    Map.of("token", token, "password", "the second password")).status());
            assertEquals(404, anonymous.json("POST", "/api/password-reset/confirm",
                    Map.of("token", token, "password", "a third password!")).status(), "used once");
            assertEquals(401, user.get("/api/user").status(), "the old session ended");
            assertEquals(401, anonymous.json("POST", "/api/login", Map.of("email", email, "password", "the first password")).status());
            assertEquals(200, anonymous.json("POST", "/api/login", Map.of("email", email, "password", "the second password")).status());
        } finally {
            logger.removeHandler(capture);
        }
    }

    @Test
    void changingThePasswordNeedsTheCurrentOneAndSignsOutOtherSessions() {
        HttpSession owner = server.owner();
        String email = "change" + System.nanoTime() + "@example.com";
        HttpSession here = join(owner, email, "the first password");
        HttpSession elsewhere = owner.anonymous().signIn(email, "the first password");

        assertEquals(403, here.json("PUT", "/api/user/password", Map.of("current_password", "wrong one",
                "new_password", "the second password")).status());
        HttpSession.Response changed = here.json("PUT", "/api/user/password", Map.of("current_password", "the first password",
                "new_password", "the second password"));
        assertEquals(200, changed.status(), changed.body());
        here.keepCookie(changed);
        assertEquals(200, here.get("/api/user").status(), "this session goes on with its new cookie");
        assertEquals(401, elsewhere.get("/api/user").status(), "the other session ended");
        assertEquals(401, owner.anonymous().json("POST", "/api/login", Map.of("email", email, "password", "the first password")).status());
    }

    @Test
    void rememberMeKeepsTheCookieForThirtyDays() {
        HttpSession owner = server.owner();
        String email = "remember" + System.nanoTime() + "@example.com";
        join(owner, email, "the first password");
        HttpSession.Response remembered = owner.anonymous().json("POST", "/api/login",
                Map.of("email", email, "password", "the first password", "remember", true));
        HttpSession.Response normal = owner.anonymous().json("POST", "/api/login",
                Map.of("email", email, "password", "the first password"));
        assertTrue(cookie(remembered).contains("Max-Age=2592000"), cookie(remembered));
        assertTrue(cookie(normal).contains("Max-Age=43200"), cookie(normal));
    }

    private static String cookie(HttpSession.Response response) {
        return response.headers().getOrDefault("set-cookie", List.of()).stream()
                .filter(line -> line.startsWith("hk_token=")).findFirst().orElse("");
    }

    /** A new account in the owner's team, signed in. */
    private static HttpSession join(HttpSession owner, String email, String password) {
        int team = owner.get("/api/teams").json().get(0).get("id").asInt();
        String token = owner.json("POST", "/api/teams/" + team + "/invitations", Map.of("role", "member")).json().get("token").asText();
        HttpSession session = owner.anonymous();
        HttpSession.Response registered = session.json("POST", "/api/invitations/" + token + "/register",
                Map.of("email", email, "password", password));
        assertEquals(201, registered.status(), registered.body());
        return session.keepCookie(registered);
    }
}
