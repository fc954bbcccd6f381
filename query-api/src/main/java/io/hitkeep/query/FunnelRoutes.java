package io.hitkeep.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.auth.Caller;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Json;
import io.hitkeep.core.StoreClient;
import io.hitkeep.web.HttpJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A site's funnels, mounted at {@code /api/sites}: {@code GET/POST /{id}/funnels},
 * {@code GET /{id}/funnels/{funnel}?from=&to=&filter=} (the visitors per step, with the stats' range and
 * filters), {@code DELETE /{id}/funnels/{funnel}}. Admins manage funnels, members read them. Thread-safe.
 */
final class FunnelRoutes implements HttpService {
    private static final int BODY_LIMIT = 16 * 1024;

    private final StoreClient store;

    FunnelRoutes(StoreClient store) {
        this.store = store;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{id}/funnels", this::funnels)
                .post("/{id}/funnels", this::create)
                .get("/{id}/funnels/{funnel}", this::report)
                .delete("/{id}/funnels/{funnel}", this::delete);
    }

    private void funnels(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Funnels.LIST, new Sites.SiteRef(Caller.of(request).scope(), siteId(request)))
                .funnels());
    }

    /**
     * {@code {"name", "window": "session"|"24h", "steps": [{"type": "pageview", "path"} or {"type": "event", "event",
     * "property"?: {"key", "value"}}, each with an optional "label"]}}.
     */
    private void create(ServerRequest request, ServerResponse response) {
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        JsonNode given = body.path("steps");
        if (!given.isArray()) {
            throw DomainError.invalid("steps must be a list of " + Funnels.MIN_STEPS + " to " + Funnels.MAX_STEPS + " steps");
        }
        List<Funnels.NewStep> steps = new ArrayList<>();
        for (JsonNode step : given) {
            if (!step.isObject()) {
                throw DomainError.invalid("each step must be an object {\"type\", \"path\"} or {\"type\", \"event\"}");
            }
            JsonNode property = GoalRoutes.property(step);
            steps.add(new Funnels.NewStep(Json.text(step, "label"), Json.text(step, "type"), Json.text(step, "path"),
                    Json.text(step, "event"), Json.text(property, "key"), Json.text(property, "value")));
        }
        HttpJson.send(response, 201, store.call(Funnels.CREATE, new Funnels.NewFunnel(Caller.of(request).scope(), siteId(request),
                Json.text(body, "name"), Json.text(body, "window"), steps)));
    }

    /** Takes the stats' {@code from}, {@code to} and {@code filter} parameters. */
    private void report(ServerRequest request, ServerResponse response) {
        var query = request.query();
        StatsRequest range = StatsRequest.parse(siteId(request), query.first("from").asOptional(), query.first("to").asOptional(),
                query.all("filter", List::of), Optional.empty());
        HttpJson.send(response, 200, store.call(Funnels.REPORT, new Funnels.FunnelQuery(Caller.of(request).scope(),
                funnelId(request), range)));
    }

    private void delete(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Funnels.DELETE, new Funnels.FunnelRef(Caller.of(request).scope(), siteId(request),
                funnelId(request))));
    }

    private static int siteId(ServerRequest request) {
        return HttpJson.pathId(request, "id", "no such site");
    }

    private static int funnelId(ServerRequest request) {
        return HttpJson.pathId(request, "funnel", "no such funnel");
    }
}
