package io.hitkeep.auth;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.hitkeep.testing.NatsBroker;
import io.hitkeep.testing.TempFiles;
import io.hitkeep.writer.Writer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression: after {@code hitkeep.db} was lost, {@code POST /api/initial-user} answered 201 to anyone, so a
 * stranger could claim the server. A marker beside the database, written with the first user, keeps the
 * claim closed; an installation from before the marker gets it when its writer starts.
 */
class FirstUserClaimTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    @Test
    void aLostDatabaseIsNoInvitationToClaimTheServer() throws Exception {
        Path data = TempFiles.directory("hk-claim-");
        Settings settings = Settings.of(Map.of(Settings.DATA_PATH, data.toString()));
        StoreClient store = new StoreClient(broker.connection());
        try {
            try (Writer writer = Writer.start(settings, broker.connection())) {
                store.call(Accounts.CREATE_FIRST_USER, new Accounts.NewUser("owner@example.com", "hash"));
            }
            assertTrue(Files.exists(data.resolve("installation-claimed")));
            Files.delete(data.resolve("hitkeep.db"));
            Files.deleteIfExists(data.resolve("hitkeep.db.wal"));
            try (Writer writer = Writer.start(settings, broker.connection())) {
                assertEquals(0, store.call(Accounts.COUNT_USERS, io.hitkeep.core.StoreOperation.None.NONE).count());
                DomainError refused = assertThrows(DomainError.class, () -> store.call(Accounts.CREATE_FIRST_USER,
                        new Accounts.NewUser("stranger@example.com", "hash")));
                assertEquals(DomainError.Kind.CONFLICT, refused.kind());
            }

            Files.delete(data.resolve("installation-claimed"));
            try (Writer writer = Writer.start(settings, broker.connection())) {
                store.call(Accounts.CREATE_FIRST_USER, new Accounts.NewUser("again@example.com", "hash"));
            }
            Files.delete(data.resolve("installation-claimed"));
            try (Writer writer = Writer.start(settings, broker.connection())) {
                assertTrue(Files.exists(data.resolve("installation-claimed")), "an installation with users gets the marker at start");
            }
        } finally {
            TempFiles.deleteTree(data);
        }
    }
}
