package io.hitkeep.query;

import io.hitkeep.writer.Database;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The two ways a range is answered, for tests that must hold for both: from the raw hits, and from the
 * rollups (rolled here and now, with every range sent to them however small).
 */
final class StatsPaths {
    private StatsPaths() {
    }

    /** Raw first, then rolled; {@code zone} is the site's, recorded in {@code sites} if it has no row yet. */
    static List<Stats> both(Database database, int siteId, ZoneId zone) {
        return List.of(new Stats(database), rolled(database, siteId, zone));
    }

    static Stats rolled(Database database, int siteId, ZoneId zone) {
        return new Stats(database, Optional.of(new RollupAnswers(roll(database, siteId, zone), 0)));
    }

    /** A roller that has caught up and rolled everything pending; not started, so nothing rolls behind a test's back. */
    static Rollups roll(Database database, int siteId, ZoneId zone) {
        database.write("record the site", sql -> {
            try (PreparedStatement insert = sql.connection().prepareStatement(
                    "INSERT INTO sites (id, owner_id, domain, name, timezone) SELECT ?, 1, ?, 'test', ?"
                            + " WHERE NOT EXISTS (SELECT 1 FROM sites WHERE id = ?)")) {
                insert.setInt(1, siteId);
                insert.setString(2, "site-" + siteId + ".example");
                insert.setString(3, zone.getId());
                insert.setInt(4, siteId);
                return insert.executeUpdate();
            }
        });
        Rollups rollups = new Rollups(database, Duration.ZERO);
        rollups.catchUp();
        rollups.rollPending();
        return rollups;
    }

    /** Whether {@code answers} would answer {@code request} (rather than leave it to the raw hits). */
    static boolean fromRollups(Database database, RollupAnswers answers, StatsRequest request, ZoneId zone) {
        return database.read(sql -> {
            Optional<RollupAnswers.Plan> plan = answers.plan(sql.connection(), request, zone);
            plan.ifPresent(found -> {
                try {
                    RollupAnswers.release(sql.connection(), found);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            return plan.isPresent();
        });
    }
}
