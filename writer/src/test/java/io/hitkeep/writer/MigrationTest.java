package io.hitkeep.writer;

import io.hitkeep.core.Settings;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An installation from before teams (migrations 001-004, two users, each with a site and an API key) is
 * upgraded in place: each user owns a team of their own holding their sites and keys, with the owner role.
 */
class MigrationTest {
    private static final List<String> BEFORE_TEAMS = List.of("001_schema.sql", "002_enrichment.sql",
            "003_accounts.sql", "004_engagement.sql");

    @Test
    void usersOfBeforeTeamsEachOwnATeamWithTheirSitesAndKeys() throws Exception {
        Path data = TempFiles.directory("hk-migration-");
        try {
            try (Connection old = DriverManager.getConnection("jdbc:duckdb:" + data.resolve("hitkeep.db"));
                 Statement statement = old.createStatement()) {
                statement.execute("CREATE TABLE schema_migrations (version VARCHAR PRIMARY KEY, "
                        + "applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)");
                for (String name : BEFORE_TEAMS) {
                    for (String sql : Database.statements(Database.resource("migrations/" + name))) {
                        statement.execute(sql);
                    }
                    statement.execute("INSERT INTO schema_migrations (version) VALUES ('" + name + "')");
                }
                statement.execute("INSERT INTO users (email, password_hash) VALUES ('ada@example.com', 'x'), ('bob@example.com', 'y')");
                statement.execute("INSERT INTO sites (owner_id, domain, name, timezone) VALUES (1, 'ada.example', 'Ada', 'UTC'), "
                        + "(2, 'bob.example', 'Bob', 'UTC'), (2, 'bob2.example', 'Bob 2', 'UTC')");
                statement.execute("INSERT INTO api_keys (user_id, name, key_hash, prefix) VALUES (2, 'backend', 'h', 'hk_1234567')");
            }

            try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())))) {
                List<String> owners = database.read(sql -> rows(sql.connection(),
                        "SELECT t.name || ': ' || u.email || ' ' || m.role FROM teams t JOIN team_members m ON m.team_id = t.id "
                                + "JOIN users u ON u.id = m.user_id ORDER BY t.id"));
                assertEquals(List.of("ada's team: ada@example.com owner", "bob's team: bob@example.com owner"), owners);
                List<String> sites = database.read(sql -> rows(sql.connection(),
                        "SELECT s.domain || ' in ' || t.name FROM sites s JOIN teams t ON t.id = s.team_id ORDER BY s.id"));
                assertEquals(List.of("ada.example in ada's team", "bob.example in bob's team", "bob2.example in bob's team"), sites);
                List<String> keys = database.read(sql -> rows(sql.connection(),
                        "SELECT k.name || ' in ' || t.name || ' as ' || k.role FROM api_keys k JOIN teams t ON t.id = k.team_id"));
                assertEquals(List.of("backend in bob's team as owner"), keys);
            }
        } finally {
            TempFiles.deleteTree(data);
        }
    }

    private static List<String> rows(Connection connection, String sql) throws java.sql.SQLException {
        List<String> rows = new java.util.ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
