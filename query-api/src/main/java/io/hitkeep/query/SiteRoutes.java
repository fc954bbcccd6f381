package io.hitkeep.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.auth.Caller;
import io.hitkeep.core.ApiError;
import io.hitkeep.core.HttpJson;
import io.hitkeep.core.Json;
import io.hitkeep.core.StatsRequest;
import io.hitkeep.core.StoreClient;

/**
 * Sites and their stats over HTTP, mounted at {@code /api/sites}. Every answer is scoped to the caller:
 * a site of someone else's is a 404, exactly like a site that does not exist. The writer does the work;
 * this is its HTTP face. Thread-safe.
 */
public final class SiteRoutes implements HttpService {
    private static final int BODY_LIMIT = 16 * 1024;
    private final StoreClient store;

    public SiteRoutes(StoreClient store) {
        this.store = store;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::create)
                .get("/{id}", this::site)
                .patch("/{id}", this::update)
                .get("/{id}/stats", this::stats);
    }

    private void list(ServerRequest request, ServerResponse response) {
        JsonNode answer = store.call("sites.list", Json.object().put("user_id", Caller.of(request).userId()));
        HttpJson.send(response, 200, answer.get("sites"));
    }

    private void create(ServerRequest request, ServerResponse response) {
        long userId = Caller.of(request).userId();
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        if (Json.text(body, "domain").isBlank()) {
            throw ApiError.badRequest("domain is required");
        }
        JsonNode site = store.call("sites.create", Json.object().put("user_id", userId)
                .put("domain", Json.text(body, "domain")).put("name", Json.text(body, "name"))
                .put("timezone", Json.text(body, "timezone")));
        HttpJson.send(response, 201, site);
    }

    private void site(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call("sites.get", Json.object()
                .put("user_id", Caller.of(request).userId()).put("site_id", siteId(request))));
    }

    /** Privacy settings: {@code excluded_ips}, {@code excluded_paths} (strings), {@code honour_dnt} (boolean). */
    private void update(ServerRequest request, ServerResponse response) {
        long userId = Caller.of(request).userId();
        int siteId = siteId(request);
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        var changes = Json.object();
        for (String field : java.util.List.of("excluded_ips", "excluded_paths")) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull()) {
                if (!value.isTextual()) {
                    throw ApiError.badRequest(field + " must be a string of comma-separated entries");
                }
                changes.put(field, value.asText());
            }
        }
        JsonNode honourDnt = body.get("honour_dnt");
        if (honourDnt != null && !honourDnt.isNull()) {
            if (!honourDnt.isBoolean()) {
                throw ApiError.badRequest("honour_dnt must be true or false");
            }
            changes.put("honour_dnt", honourDnt.asBoolean());
        }
        HttpJson.send(response, 200, store.call("sites.update", Json.object().put("user_id", userId)
                .put("site_id", siteId).set("changes", changes)));
    }

    private void stats(ServerRequest request, ServerResponse response) {
        var query = request.query();
        StatsRequest stats = StatsRequest.parse(Caller.of(request).userId(), siteId(request),
                query.first("from").asOptional(), query.first("to").asOptional(),
                query.all("filter", java.util.List::of), query.first("limit").asOptional());
        HttpJson.send(response, 200, store.call("stats", stats));
    }

    private static int siteId(ServerRequest request) {
        String id = request.path().pathParameters().get("id");
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw ApiError.notFound("no such site");
        }
    }
}
