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

import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A site's goals and annotations, mounted at {@code /api/sites}: {@code GET/POST /{id}/goals},
 * {@code DELETE /{id}/goals/{goal}}, {@code GET /{id}/annotations?from=&to=}, {@code POST /{id}/annotations},
 * {@code DELETE /{id}/annotations/{annotation}}. Admins manage both, members read. Thread-safe.
 */
final class GoalRoutes implements HttpService {
    private static final int BODY_LIMIT = 16 * 1024;

    private final StoreClient store;

    GoalRoutes(StoreClient store) {
        this.store = store;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{id}/goals", this::goals)
                .post("/{id}/goals", this::createGoal)
                .delete("/{id}/goals/{goal}", this::deleteGoal)
                .get("/{id}/annotations", this::annotations)
                .post("/{id}/annotations", this::createAnnotation)
                .delete("/{id}/annotations/{annotation}", this::deleteAnnotation);
    }

    private void goals(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Goals.LIST, new Sites.SiteRef(Caller.of(request).scope(),
                HttpJson.pathId(request, "id", "no such site"))).goals());
    }

    /** {@code {"name", "type": "pageview"|"event", "path"?, "event"?, "property"?: {"key", "value"}}}. */
    private void createGoal(ServerRequest request, ServerResponse response) {
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        JsonNode property = property(body);
        HttpJson.send(response, 201, store.call(Goals.CREATE, new Goals.NewGoal(Caller.of(request).scope(),
                HttpJson.pathId(request, "id", "no such site"), Json.text(body, "name"), Json.text(body, "type"), Json.text(body, "path"),
                Json.text(body, "event"), Json.text(property, "key"), Json.text(property, "value"))));
    }

    /** A goal's or a funnel step's optional {@code property}: an object {@code {"key", "value"}}, or missing. */
    static JsonNode property(JsonNode goal) {
        JsonNode property = goal.path("property");
        if (!property.isMissingNode() && !property.isNull() && !property.isObject()) {
            throw DomainError.invalid("property must be an object {\"key\", \"value\"}");
        }
        return property;
    }

    private void deleteGoal(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Goals.DELETE, new Goals.GoalRef(Caller.of(request).scope(),
                HttpJson.pathId(request, "id", "no such site"), HttpJson.pathId(request, "goal", "no such goal"))));
    }

    /** {@code from} and {@code to} default to the whole history. */
    private void annotations(ServerRequest request, ServerResponse response) {
        var query = request.query();
        HttpJson.send(response, 200, store.call(Annotations.LIST, new Annotations.AnnotationQuery(Caller.of(request).scope(),
                HttpJson.pathId(request, "id", "no such site"), query.first("from").orElse("1970-01-01"),
                query.first("to").orElse(LocalDate.now(ZoneOffset.UTC).plusDays(1).toString()))).annotations());
    }

    /** {@code {"date": "YYYY-MM-DD", "text"}}. */
    private void createAnnotation(ServerRequest request, ServerResponse response) {
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        HttpJson.send(response, 201, store.call(Annotations.CREATE, new Annotations.NewAnnotation(Caller.of(request).scope(),
                HttpJson.pathId(request, "id", "no such site"), Json.text(body, "date"), Json.text(body, "text"))));
    }

    private void deleteAnnotation(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Annotations.DELETE, new Annotations.AnnotationRef(Caller.of(request).scope(),
                HttpJson.pathId(request, "id", "no such site"), HttpJson.pathId(request, "annotation", "no such annotation"))));
    }
}
