package io.hitkeep.reports.backup;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.StoreOperation;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.hitkeep.core.Subjects;
import io.hitkeep.reports.archive.Archiver;
import io.hitkeep.reports.archive.RetentionArchive;
import io.hitkeep.reports.export.ExportPages;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.StoreHandlers;
import io.hitkeep.writer.StoreRegistry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * The reports module's data work that must run where {@code hitkeep.db} is open: backups, the retention archive and
 * export pages. Found by the writer through {@code META-INF/services}.
 */
public final class DataStoreHandlers implements StoreHandlers {
    /** The last stream sequence the database holds: {@code rebuild} waits until it reaches the stream's end. */
    public static final StoreOperation<StoreOperation.None, Position> POSITION =
            StoreOperation.of("backups.stream-position", StoreOperation.None.class, Position.class);

    public record Position(long streamSequence) {}

    /**
     * Which installation answers: the data folder of the writer's {@code hitkeep.db}. The command line checks it
     * before it works on a broker it found in a data folder's leftover configuration.
     */
    public static final StoreOperation<StoreOperation.None, Identity> IDENTITY =
            StoreOperation.of("backups.identity", StoreOperation.None.class, Identity.class);

    public record Identity(String dataPath) {}

    /** The hit stream's last sequence; 0 when there is no stream yet. */
    private static long streamEnd(Connection nats) {
        try {
            return nats.jetStreamManagement().getStreamInfo(Subjects.HIT_STREAM).getStreamState().getLastSequence();
        } catch (JetStreamApiException noStream) {
            return 0;
        } catch (IOException e) {
            throw DomainError.unavailable("the broker does not answer: " + e.getMessage());
        }
    }

    @Override
    public void register(StoreRegistry registry) {
        Database database = registry.database();
        Backups backups = new Backups(database, () -> streamEnd(registry.nats()));
        Archiver archiver = new Archiver(database);
        ExportPages exports = new ExportPages(database);
        registry.handle(Backups.CREATE, request -> backups.create(Path.of(request.target()), request.keep()))
                .handle(POSITION, none -> new Position(Backups.storedSequence(database)))
                .handle(IDENTITY, none -> new Identity(database.file().getParent().toString()))
                .handle(RetentionArchive.DUE, today -> new RetentionArchive.DueMonths(archiver.due(LocalDate.parse(today.date()))))
                .handle(RetentionArchive.MONTH, due -> archiver.archive(due.siteId(), due.month()))
                .handle(ExportPages.PAGE, exports::page)
                .handle(ExportPages.OPERATOR_PAGE, exports::operatorPage);
    }
}
