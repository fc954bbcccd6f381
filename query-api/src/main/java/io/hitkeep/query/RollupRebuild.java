package io.hitkeep.query;

import io.hitkeep.core.Settings;
import io.hitkeep.writer.Database;

/**
 * The CLI step {@code java -jar hitkeep.jar rebuild-rollups [--data-path=...]}: rolls every site's rollups
 * again from its hits, on a stopped installation (it opens {@code hitkeep.db}, which a running writer holds).
 */
public final class RollupRebuild {
    private RollupRebuild() {
    }

    /** Rolls every site of the installation that {@code settings} name again; answers how many days. */
    public static int rebuildAll(Settings settings) {
        try (Database database = Database.open(settings)) {
            return Rollups.rebuildAll(database);
        }
    }
}
