package io.hitkeep.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Buckets;
import io.hitkeep.core.Json;
import io.hitkeep.core.Scope;
import io.hitkeep.auth.Access;
import io.hitkeep.auth.Teams;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.StoredHits;
import io.hitkeep.testing.NatsBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SitesTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    @Test
    void privacySettingsAreValidatedStoredAndPublished() throws Exception {
        try (StoredHits stored = StoredHits.open()) {
            Database database = stored.database();
            database.write("create team", sql -> Teams.insertTeam(sql, "Team", 1));
            Sites sites = new Sites(database, broker.connection(), new Teams(database));
            Scope owner = Scope.user(1);
            Scope stranger = Scope.user(2);
            int id = sites.create(owner, 0, "settings.example", "", "UTC").id();

            DomainError foreign = assertThrows(DomainError.class, () -> sites.update(stranger, id, Json.object().put("honour_dnt", false)));
            assertEquals(DomainError.Kind.NOT_FOUND, foreign.kind(), "another user's site looks like no site");
            DomainError badCidr = assertThrows(DomainError.class, () -> sites.update(owner, id, Json.object().put("excluded_ips", "10.1.2.3/40")));
            assertEquals(DomainError.Kind.INVALID, badCidr.kind());
            assertTrue(badCidr.getMessage().contains("10.1.2.3/40"), badCidr.getMessage());
            DomainError badGlob = assertThrows(DomainError.class, () -> sites.update(owner, id, Json.object().put("excluded_paths", "admin")));
            assertEquals(DomainError.Kind.INVALID, badGlob.kind());

            Sites.Site updated = sites.update(owner, id, Json.object().put("excluded_ips", " 192.0.2.0/24 ,")
                    .put("excluded_paths", "/admin/*").put("honour_dnt", false));
            assertEquals("192.0.2.0/24", updated.excludedIps());
            assertEquals("/admin/*", updated.excludedPaths());
            assertFalse(updated.honourDnt());
            assertEquals(updated, sites.get(owner, id, Access.Action.READ_SITE));
            assertEquals("owner", updated.role());

            JsonNode published = Json.tree(Buckets.sites(broker.connection()).get("settings.example").getValue());
            assertEquals("192.0.2.0/24", published.get("excluded_ips").asText());
            assertEquals("/admin/*", published.get("excluded_paths").asText());
            assertFalse(published.get("honour_dnt").asBoolean());
        }
    }

    /** The other tools' site settings, {@code umami_website_id} and {@code goatcounter_code}: one site per value. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"umami_website_id, 6a1e8f5c-0b2d-4c3e-9f4a-5b6c7d8e9f01, umami", "goatcounter_code, my-blog, goat"})
    void anOtherToolsSiteSettingBelongsToOneSiteAtATimeAndIsPublished(String field, String value, String prefix) throws Exception {
        try (StoredHits stored = StoredHits.open()) {
            Database database = stored.database();
            database.write("create teams", sql -> {
                Teams.insertTeam(sql, "Team", 1);
                return Teams.insertTeam(sql, "Other team", 2);
            });
            Sites sites = new Sites(database, broker.connection(), new Teams(database));
            Scope owner = Scope.user(1);
            int first = sites.create(owner, 0, prefix + "-one.example", "", "UTC").id();
            int second = sites.create(owner, 0, prefix + "-two.example", "", "UTC").id();
            int othersSite = sites.create(Scope.user(2), 0, prefix + "-other.example", "", "UTC").id();
            assertEquals("", field(sites.get(owner, first, Access.Action.READ_SITE), field), "none by default");

            Sites.Site updated = sites.update(owner, first, Json.object().put(field, value));
            assertEquals(value, field(updated, field));
            assertEquals(value, field(sites.update(owner, first, Json.object().put("name", "Renamed")), field),
                    "a change of another field keeps it");
            JsonNode published = Json.tree(Buckets.sites(broker.connection()).get(prefix + "-one.example").getValue());
            assertEquals(value, published.get(field).asText(), "the gateways learn it");

            for (int taker : new int[] {second, othersSite}) {
                Scope scope = taker == othersSite ? Scope.user(2) : owner;
                DomainError taken = assertThrows(DomainError.class,
                        () -> sites.update(scope, taker, Json.object().put(field, value)));
                assertEquals(DomainError.Kind.CONFLICT, taken.kind());
                assertTrue(taken.getMessage().startsWith(field + ":"), "the conflict names the setting: " + taken.getMessage());
                assertFalse(taken.getMessage().contains(prefix + "-one"), "the other site is not named: " + taken.getMessage());
            }
            assertEquals("", field(sites.update(owner, second, Json.object().put(field, "")), field),
                    "sites without one do not clash");

            assertEquals("", field(sites.update(owner, first, Json.object().put(field, "")), field));
            assertEquals(value, field(sites.update(owner, second, Json.object().put(field, value)), field),
                    "free again once cleared");
        }
    }

    /** A setting of the site as the API names it. */
    private static String field(Sites.Site site, String name) {
        return Json.MAPPER.valueToTree(site).get(name).asText();
    }
}
