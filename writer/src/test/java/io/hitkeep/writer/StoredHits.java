package io.hitkeep.writer;

import io.hitkeep.core.Hit;
import io.hitkeep.core.Settings;
import io.hitkeep.testing.TempFiles;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real {@code hitkeep.db} in a temporary directory, migrated, with hits stored through the writer's own
 * Appender path ({@link HitWriter#store}): lets a module test its SQL without a broker or an HTTP stack.
 * Shared with other modules' tests as the writer's test jar. Not thread-safe.
 */
public final class StoredHits implements AutoCloseable {
    private final Path directory;
    private final Database database;

    private StoredHits(Path directory, Database database) {
        this.directory = directory;
        this.database = database;
    }

    public static StoredHits open() {
        Path directory = TempFiles.directory("hk-stored-");
        return new StoredHits(directory, Database.open(Settings.of(Map.of(Settings.DATA_PATH, directory.toString()))));
    }

    public Database database() {
        return database;
    }

    public StoredHits add(Hit... hits) {
        HitWriter.store(database, List.of(hits));
        return this;
    }

    @Override
    public void close() {
        database.close();
        TempFiles.deleteTree(directory);
    }
}
