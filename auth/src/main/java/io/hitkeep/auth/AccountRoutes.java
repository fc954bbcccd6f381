package io.hitkeep.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.core.ApiError;
import io.hitkeep.core.ClientAddress;
import io.hitkeep.core.HttpJson;
import io.hitkeep.core.Json;
import io.hitkeep.core.RateLimiter;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;

import java.util.Locale;

/**
 * Accounts over HTTP, mounted at {@code /api}: the first user, sign-in and sign-out with the
 * {@code hk_token} cookie, the caller's profile and API keys. Sign-in and first-user are rate limited
 * per client address ({@code login-rate-limit} attempts at once, refilled per minute). Thread-safe.
 */
public final class AccountRoutes implements HttpService {
    private static final int BODY_LIMIT = 16 * 1024;

    private final StoreClient store;
    private final SessionTokens tokens;
    private final ApiKeys apiKeys;
    private final PasswordHasher passwords = new PasswordHasher();
    private final RateLimiter loginLimiter;
    private final ClientAddress clientAddress;
    private final boolean secureCookies;

    public AccountRoutes(Settings settings, StoreClient store) {
        this.store = store;
        this.tokens = new SessionTokens(settings);
        this.apiKeys = new ApiKeys(store);
        int perMinute = settings.intValue("login-rate-limit", 10);
        this.loginLimiter = new RateLimiter(perMinute, perMinute);
        this.clientAddress = new ClientAddress(settings);
        this.secureCookies = settings.value(Settings.PUBLIC_URL, "").startsWith("https://");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/initial-user", this::initialUser)
                .post("/login", this::login)
                .post("/logout", this::logout)
                .get("/user", this::currentUser)
                .post("/user/api-keys", this::createApiKey);
    }

    private void initialUser(ServerRequest request, ServerResponse response) {
        limit(request, response);
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        String email = email(body);
        String password = Json.text(body, "password");
        if (password.length() < 10) {
            throw ApiError.badRequest("password must be at least 10 characters long");
        }
        if (password.length() > 1024) {
            throw ApiError.badRequest("password is longer than 1024 characters");
        }
        if (store.call("users.count", Json.object()).get("count").asLong() > 0) {
            throw new ApiError(409, "the first user exists already; sign in instead");
        }
        JsonNode user = store.call("users.create-first", Json.object().put("email", email)
                .put("password_hash", passwords.hash(password)));
        startSession(request, response, user.get("id").asLong());
        HttpJson.send(response, 201, Json.object().set("user", user));
    }

    private void login(ServerRequest request, ServerResponse response) {
        limit(request, response);
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        String email = Json.text(body, "email").strip();
        String password = Json.text(body, "password");
        if (email.isEmpty() || password.isEmpty()) {
            throw ApiError.badRequest("email and password are required");
        }
        JsonNode user;
        try {
            user = store.call("users.find-by-email", Json.object().put("email", email));
        } catch (ApiError e) {
            if (e.status() != 404) {
                throw e;
            }
            passwords.verifyNothing(password);
            throw new ApiError(401, "wrong e-mail or password");
        }
        if (!passwords.verify(password, user.get("password_hash").asText())) {
            throw new ApiError(401, "wrong e-mail or password");
        }
        long userId = user.get("id").asLong();
        startSession(request, response, userId);
        HttpJson.send(response, 200, Json.object().set("user",
                Json.object().put("id", userId).put("email", user.get("email").asText())));
    }

    private void logout(ServerRequest request, ServerResponse response) {
        response.header(HeaderNames.SET_COOKIE, cookie(request, "", 0));
        HttpJson.send(response, 200, Json.object().put("signed_out", true));
    }

    private void currentUser(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call("users.get", Json.object().put("id", Caller.of(request).userId())));
    }

    private void createApiKey(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.of(request);
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        String name = Json.text(body, "name").strip();
        if (name.isEmpty() || name.length() > 100) {
            throw ApiError.badRequest("name is required (at most 100 characters)");
        }
        HttpJson.send(response, 201, apiKeys.create(caller.userId(), name));
    }

    private void limit(ServerRequest request, ServerResponse response) {
        String client = clientAddress.resolve(request.remotePeer().address(),
                request.headers().first(HeaderNames.X_FORWARDED_FOR));
        if (!loginLimiter.tryAcquire(client)) {
            response.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, loginLimiter.retryAfterSeconds(client))));
            throw new ApiError(429, "too many attempts; wait a minute and try again");
        }
    }

    private static String email(JsonNode body) {
        String email = Json.text(body, "email").strip().toLowerCase(Locale.ROOT);
        int at = email.indexOf('@');
        if (at <= 0 || at == email.length() - 1 || email.length() > 254 || email.contains(" ")) {
            throw ApiError.badRequest("email must be an e-mail address");
        }
        return email;
    }

    private void startSession(ServerRequest request, ServerResponse response, long userId) {
        response.header(HeaderNames.SET_COOKIE, cookie(request, tokens.issue(userId), tokens.lifetime().toSeconds()));
    }

    private String cookie(ServerRequest request, String value, long maxAgeSeconds) {
        boolean secure = secureCookies || request.headers().first(HeaderNames.X_FORWARDED_PROTO)
                .map(proto -> proto.equalsIgnoreCase("https")).orElse(false);
        return SessionTokens.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }
}
