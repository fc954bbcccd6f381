package io.hitkeep.query;

import io.hitkeep.core.Settings;
import io.hitkeep.web.Launcher;
import io.hitkeep.writer.Database;

import java.util.logging.Logger;

/**
 * The CLI step {@code java -jar hitkeep.jar rebuild-rollups [--data-path=...]}: rolls every site's rollups
 * again from its hits, on a stopped installation (it opens {@code hitkeep.db}, which a running writer holds).
 */
public final class RollupRebuild {
    private RollupRebuild() {
    }

    public static void main(String[] args) {
        try {
            Settings settings = Settings.load(args);
            long started = System.nanoTime();
            try (Database database = Database.open(settings)) {
                int days = Rollups.rebuildAll(database);
                Logger.getLogger(RollupRebuild.class.getName()).info(() -> "rolled " + days + " days in "
                        + (System.nanoTime() - started) / 1_000_000 + " ms");
            }
        } catch (RuntimeException e) {
            Launcher.fail(e);
        }
    }
}
