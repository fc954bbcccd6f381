package io.hitkeep.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.testing.HttpSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document at {@code /api/docs/openapi.json} describes exactly the routes the single binary
 * registers: the routing it was built with is replayed into a {@link RouteRecorder}, and each recorded
 * {@code METHOD /path} must be an operation of the document and each operation a recorded route. Anyone may
 * read the document. Its validity and its schemas against real replies are checked with node
 * ({@code browser-tests/test/openapi.test.mjs}).
 */
class ApiDocsTest {
    @RegisterExtension
    static SingleBinary server = new SingleBinary();

    @Test
    void documentsEveryRegisteredRouteAndNoOther() {
        Set<String> registered = RouteRecorder.record(server.hitKeep().apiRoutes());
        assertTrue(registered.contains("GET /api/sites/{id}/funnels/{funnel}"), "the recorder follows services: " + registered);
        assertTrue(registered.contains("POST /ingest"), "and features: " + registered);

        HttpSession.Response served = server.owner().anonymous().get("/api/docs/openapi.json");
        assertEquals(200, served.status(), "open to anyone: " + served.body());
        Set<String> documented = new TreeSet<>();
        served.json().get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (!operation.getKey().equals("parameters")) {
                documented.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));

        Set<String> missing = new TreeSet<>(registered);
        missing.removeAll(documented);
        Set<String> invented = new TreeSet<>(documented);
        invented.removeAll(registered);
        assertEquals("", describe(missing, invented), "the document against the registered routes");
        assertEquals(registered, documented);
    }

    @Test
    void everyOperationNamesItsSecurityAndErrors() {
        JsonNode document = server.owner().anonymous().get("/api/docs/openapi.json").json();
        assertEquals("3.1.0", document.get("openapi").asText());
        Set<String> problems = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(entry -> {
            String operation = entry.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
            JsonNode details = entry.getValue();
            if (!details.has("security")) {
                problems.add(operation + ": no security (an empty list for a public route)");
            }
            boolean guarded = !details.get("security").isEmpty();
            if (guarded && !details.get("responses").has("401")) {
                problems.add(operation + ": signed-in only, but no 401");
            }
            if (details.has("requestBody") && !details.get("responses").has("400")) {
                problems.add(operation + ": takes a body, but no 400");
            }
        }));
        assertEquals(Set.of(), problems);
    }

    @Test
    void theSiteSchemasNameEveryFieldOfASiteAndItsSettings() {
        HttpSession owner = server.owner();
        JsonNode schemas = owner.anonymous().get("/api/docs/openapi.json").json().get("components").get("schemas");
        JsonNode site = owner.get("/api/sites/" + owner.createSite("documented.example", "UTC")).json();
        Set<String> replied = new TreeSet<>();
        site.fieldNames().forEachRemaining(replied::add);
        Set<String> documented = new TreeSet<>();
        schemas.get("Site").get("properties").fieldNames().forEachRemaining(documented::add);
        assertEquals(replied, documented, "the Site schema against a site as GET /api/sites/{id} answers it");

        // what PATCH /api/sites/{id} changes: every field but the site's identity and the caller's role
        Set<String> settings = new TreeSet<>(replied);
        settings.removeAll(Set.of("id", "owner_id", "team_id", "domain", "created_at", "role"));
        assertTrue(settings.contains("goatcounter_code") && settings.contains("umami_website_id"), settings.toString());
        Set<String> changes = new TreeSet<>();
        schemas.get("SiteChanges").get("properties").fieldNames().forEachRemaining(changes::add);
        assertEquals(settings, changes, "the SiteChanges schema against the settings a site has");
    }

    private static String describe(Set<String> missing, Set<String> invented) {
        StringBuilder text = new StringBuilder();
        missing.forEach(route -> text.append("registered but not documented: ").append(route).append('\n'));
        invented.forEach(route -> text.append("documented but not registered: ").append(route).append('\n'));
        return text.toString();
    }
}
