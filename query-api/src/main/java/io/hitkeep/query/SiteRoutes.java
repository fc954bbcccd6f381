package io.hitkeep.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
                .delete("/{id}", this::delete)
                .get("/{id}/stats", this::stats)
                .get("/{id}/live", this::live);
    }

    private void list(ServerRequest request, ServerResponse response) {
        JsonNode answer = store.call("sites.list", Caller.of(request).scope());
        HttpJson.send(response, 200, answer.get("sites"));
    }

    /** Adds a site to {@code team_id} (default: the caller's first team where they are admin or owner). */
    private void create(ServerRequest request, ServerResponse response) {
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        if (Json.text(body, "domain").isBlank()) {
            throw ApiError.badRequest("domain is required");
        }
        JsonNode teamId = body.path("team_id");
        if (!teamId.isMissingNode() && !teamId.isNull() && !teamId.canConvertToInt()) {
            throw ApiError.badRequest("team_id must be a team's id");
        }
        JsonNode site = store.call("sites.create", Caller.of(request).scope().put("team_id", teamId.asInt(0))
                .put("domain", Json.text(body, "domain")).put("name", Json.text(body, "name"))
                .put("timezone", Json.text(body, "timezone")));
        HttpJson.send(response, 201, site);
    }

    private void site(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call("sites.get", Caller.of(request).scope().put("site_id", siteId(request))));
    }

    /**
     * Settings (admins and owners): {@code name}, {@code timezone}, {@code excluded_ips}, {@code excluded_paths}
     * (strings), {@code honour_dnt} (boolean).
     */
    private void update(ServerRequest request, ServerResponse response) {
        int siteId = siteId(request);
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        var changes = Json.object();
        for (String field : java.util.List.of("name", "timezone")) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull()) {
                if (!value.isTextual()) {
                    throw ApiError.badRequest(field + " must be a string");
                }
                changes.put(field, value.asText());
            }
        }
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
        HttpJson.send(response, 200, store.call("sites.update", Caller.of(request).scope()
                .put("site_id", siteId).set("changes", changes)));
    }

    /** Deletes the site and every hit of it (owners only). */
    private void delete(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call("sites.delete", Caller.of(request).scope().put("site_id", siteId(request))));
    }

    private void stats(ServerRequest request, ServerResponse response) {
        var query = request.query();
        Caller caller = Caller.of(request);
        StatsRequest stats = StatsRequest.parse(caller.userId(), siteId(request),
                query.first("from").asOptional(), query.first("to").asOptional(),
                query.all("filter", java.util.List::of), query.first("limit").asOptional(),
                query.all("parts", java.util.List::of));
        ObjectNode scoped = Json.MAPPER.valueToTree(stats);
        scoped.setAll(caller.scope());
        HttpJson.send(response, 200, store.call("stats", scoped));
    }

    /** {@code {"live_visitors": n}}: visitors of the last five minutes, cheap enough to poll every few seconds. */
    private void live(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call("stats.live", Caller.of(request).scope().put("site_id", siteId(request))));
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
