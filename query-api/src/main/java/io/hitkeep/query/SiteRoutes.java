package io.hitkeep.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.auth.Caller;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Scoped;
import io.hitkeep.web.HttpJson;
import io.hitkeep.core.Json;
import io.hitkeep.core.StoreClient;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Sites and their stats over HTTP, mounted at {@code /api/sites}. Every answer is scoped to the caller:
 * a site of someone else's is a 404, exactly like a site that does not exist. The writer does the work;
 * this is its HTTP face. Thread-safe.
 */
public final class SiteRoutes implements HttpService {
    private static final int BODY_LIMIT = 16 * 1024;
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** A site code as GoatCounter accepts one (lower-case letters, digits, dashes; 2 to 50), here in any case, and a host label: no dash first or last. */
    private static final Pattern GOATCOUNTER_CODE = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,48}[a-zA-Z0-9])");
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
                .get("/{id}/live", this::live)
                .post("/{id}/rollups/rebuild", this::rebuildRollups);
    }

    private void list(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Sites.LIST, new Scoped(Caller.of(request).scope())).sites());
    }

    /** Adds a site to {@code team_id} (default: the caller's first team where they are admin or owner). */
    private void create(ServerRequest request, ServerResponse response) {
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        if (Json.text(body, "domain").isBlank()) {
            throw DomainError.invalid("domain is required");
        }
        JsonNode teamId = body.path("team_id");
        if (!teamId.isMissingNode() && !teamId.isNull() && !teamId.canConvertToInt()) {
            throw DomainError.invalid("team_id must be a team's id");
        }
        Sites.Site site = store.call(Sites.CREATE, new Sites.NewSite(Caller.of(request).scope(), teamId.asInt(0),
                Json.text(body, "domain"), Json.text(body, "name"), Json.text(body, "timezone")));
        HttpJson.send(response, 201, site);
    }

    private void site(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Sites.GET, new Sites.SiteRef(Caller.of(request).scope(), siteId(request))));
    }

    /**
     * Settings (admins and owners): {@code name}, {@code timezone}, {@code excluded_ips}, {@code excluded_paths}
     * (strings), {@code honour_dnt} (boolean), {@code umami_website_id} (a UUID, stored in lower case; empty for none),
     * {@code goatcounter_code} (GoatCounter's site code, stored in lower case; empty for none),
     * {@code retention_days} (days, null: keep every hit).
     */
    private void update(ServerRequest request, ServerResponse response) {
        int siteId = siteId(request);
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        var changes = Json.object();
        for (String field : java.util.List.of("name", "timezone")) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull()) {
                if (!value.isTextual()) {
                    throw DomainError.invalid(field + " must be a string");
                }
                changes.put(field, value.asText());
            }
        }
        for (String field : java.util.List.of("excluded_ips", "excluded_paths")) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull()) {
                if (!value.isTextual()) {
                    throw DomainError.invalid(field + " must be a string of comma-separated entries");
                }
                changes.put(field, value.asText());
            }
        }
        JsonNode honourDnt = body.get("honour_dnt");
        if (honourDnt != null && !honourDnt.isNull()) {
            if (!honourDnt.isBoolean()) {
                throw DomainError.invalid("honour_dnt must be true or false");
            }
            changes.put("honour_dnt", honourDnt.asBoolean());
        }
        JsonNode umamiWebsiteId = body.get("umami_website_id");
        if (umamiWebsiteId != null && !umamiWebsiteId.isNull()) {
            String id = umamiWebsiteId.isTextual() ? umamiWebsiteId.asText().strip() : "-";
            if (!id.isEmpty() && !UUID.matcher(id).matches()) {
                throw DomainError.invalid("umami_website_id must be the Umami website's id, a UUID such as "
                        + "6a1e8f5c-0b2d-4c3e-9f4a-5b6c7d8e9f01 (empty for none)");
            }
            changes.put("umami_website_id", id.toLowerCase(Locale.ROOT));
        }
        JsonNode goatCounterCode = body.get("goatcounter_code");
        if (goatCounterCode != null && !goatCounterCode.isNull()) {
            String code = goatCounterCode.isTextual() ? goatCounterCode.asText().strip() : "-";
            if (!code.isEmpty() && !GOATCOUNTER_CODE.matcher(code).matches()) {
                throw DomainError.invalid("goatcounter_code must be a GoatCounter site code: 2 to 50 lower-case letters, "
                        + "digits and dashes, not beginning or ending with a dash, such as my-blog (empty for none)");
            }
            changes.put("goatcounter_code", code.toLowerCase(Locale.ROOT));
        }
        // retention_days: null is a value here (keep every hit), not "left out"
        if (body.has("retention_days")) {
            JsonNode days = body.get("retention_days");
            if (!days.isNull() && !days.canConvertToInt() || days.isNumber() && !days.isIntegralNumber() || days.isTextual()) {
                throw DomainError.invalid("retention_days must be a whole number of days, or null to keep every hit");
            }
            changes.put("retention_days", days.isNull() ? 0 : days.asInt());
        }
        HttpJson.send(response, 200, store.call(Sites.UPDATE, new Sites.SiteChanges(Caller.of(request).scope(), siteId, changes)));
    }

    /** Deletes the site and every hit of it (owners only). */
    private void delete(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Sites.DELETE, new Sites.SiteRef(Caller.of(request).scope(), siteId(request))));
    }

    private void stats(ServerRequest request, ServerResponse response) {
        var query = request.query();
        Caller caller = Caller.of(request);
        StatsRequest stats = StatsRequest.parse(siteId(request),
                query.first("from").asOptional(), query.first("to").asOptional(),
                query.all("filter", java.util.List::of), query.first("limit").asOptional(),
                query.all("parts", java.util.List::of)).withBreakdown(query.first("breakdown").asOptional())
                .withImported(query.first("imported").asOptional());
        HttpJson.send(response, 200, store.call(Stats.QUERY, new Stats.Query(caller.scope(), stats)));
    }

    /**
     * {@code {"live_visitors", "pages", "sources"}}: the visitors of the last five minutes, and the pages and sources
     * they saw and came from ({@code [{"value", "visitors"}]}), cheap enough to poll every few seconds.
     */
    private void live(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, store.call(Stats.LIVE, new Sites.SiteRef(Caller.of(request).scope(), siteId(request))));
    }

    /**
     * Rolls the site's rollups again from its hits (admins and owners), for data changed behind the writer's
     * back; {@code 202}: the roller does it in the background, and until then the hits answer.
     */
    private void rebuildRollups(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 202, store.call(Rollups.REBUILD, new Sites.SiteRef(Caller.of(request).scope(), siteId(request))));
    }

    private static int siteId(ServerRequest request) {
        return HttpJson.pathId(request, "id", "no such site");
    }
}
