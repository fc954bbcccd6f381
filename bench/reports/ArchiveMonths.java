import io.hitkeep.core.Settings;
import io.hitkeep.reports.archive.Archiver;
import io.hitkeep.writer.Database;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Runs the retention archive once on a stopped HitKeep's data folder, as the nightly job would through the writer,
 * and prints how long each month took. Run with the jar on the class path:
 *   java --enable-native-access=ALL-UNNAMED -cp app/target/hitkeep.jar bench/reports/ArchiveMonths.java DATA_DIR
 */
public class ArchiveMonths {
    public static void main(String[] args) {
        try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, args[0])))) {
            Archiver archiver = new Archiver(database);
            for (Archiver.Due due : archiver.due(LocalDate.now(ZoneOffset.UTC))) {
                long started = System.nanoTime();
                Archiver.Archived archived = archiver.archive(due.siteId(), due.month());
                System.out.printf("archived site %d %s: %d rows in %d ms%n", due.siteId(), due.month(), archived.rowsMoved(),
                        (System.nanoTime() - started) / 1_000_000);
            }
        }
    }
}
