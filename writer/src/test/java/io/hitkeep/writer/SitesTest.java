package io.hitkeep.writer;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.ApiError;
import io.hitkeep.core.Buckets;
import io.hitkeep.core.Json;
import io.hitkeep.core.Role;
import io.hitkeep.core.Settings;
import io.hitkeep.testing.NatsBroker;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SitesTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    @Test
    void privacySettingsAreValidatedStoredAndPublished() throws Exception {
        Path data = TempFiles.directory("hk-sites-");
        try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())));
             var writes = database.connection()) {
            Teams teams = new Teams(database, writes);
            Database.inTransaction(writes, "create team", connection -> Teams.insertTeam(connection, "Team", 1));
            Sites sites = new Sites(database, writes, broker.connection(), teams);
            Teams.Scope owner = new Teams.Scope(1, 0, Role.MEMBER);
            Teams.Scope stranger = new Teams.Scope(2, 0, Role.MEMBER);
            int id = sites.create(owner, 0, "settings.example", "", "UTC").get("id").asInt();

            ApiError foreign = assertThrows(ApiError.class, () -> sites.update(stranger, id, Json.object().put("honour_dnt", false)));
            assertEquals(404, foreign.status(), "another user's site looks like no site");
            ApiError badCidr = assertThrows(ApiError.class, () -> sites.update(owner, id, Json.object().put("excluded_ips", "10.1.2.3/40")));
            assertEquals(400, badCidr.status());
            assertTrue(badCidr.getMessage().contains("10.1.2.3/40"), badCidr.getMessage());
            ApiError badGlob = assertThrows(ApiError.class, () -> sites.update(owner, id, Json.object().put("excluded_paths", "admin")));
            assertEquals(400, badGlob.status());

            JsonNode updated = sites.update(owner, id, Json.object().put("excluded_ips", " 192.0.2.0/24 ,")
                    .put("excluded_paths", "/admin/*").put("honour_dnt", false));
            assertEquals("192.0.2.0/24", updated.get("excluded_ips").asText());
            assertEquals("/admin/*", updated.get("excluded_paths").asText());
            assertFalse(updated.get("honour_dnt").asBoolean());
            assertEquals(updated, sites.get(owner, id, Role.MEMBER));
            assertEquals("owner", updated.get("role").asText());

            JsonNode published = Json.tree(Buckets.sites(broker.connection()).get("settings.example").getValue());
            assertEquals("192.0.2.0/24", published.get("excluded_ips").asText());
            assertEquals("/admin/*", published.get("excluded_paths").asText());
            assertFalse(published.get("honour_dnt").asBoolean());
        } finally {
            TempFiles.deleteTree(data);
        }
    }
}
