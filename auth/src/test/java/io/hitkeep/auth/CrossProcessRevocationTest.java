package io.hitkeep.auth;

import io.hitkeep.core.Json;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.hitkeep.testing.NatsBroker;
import io.hitkeep.testing.TempFiles;
import io.hitkeep.writer.Writer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two auth processes, as two NATS connections with their own caches: a sign-out, a sign-out-everywhere
 * and a revoked API key made through one are refused by the other at once (well inside the caches' own
 * 10 s refresh), through the writer's announcements on {@code hk.auth.changes}.
 */
class CrossProcessRevocationTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    private static Path data;
    private static Writer writer;
    private static Connection first;
    private static Connection second;
    private static StoreClient here;
    private static StoreClient there;
    private static long userId;
    private static final SessionTokens TOKENS = new SessionTokens(
            "cross-process-secret-0123456789abcdef01234".getBytes(java.nio.charset.StandardCharsets.UTF_8), Duration.ofHours(1));

    @BeforeAll
    static void start() throws Exception {
        data = TempFiles.directory("hk-cross-");
        writer = Writer.start(Settings.of(Map.of(Settings.DATA_PATH, data.toString())), broker.connection());
        first = Nats.connect(broker.url());
        second = Nats.connect(broker.url());
        here = new StoreClient(first);
        there = new StoreClient(second);
        userId = here.call(Accounts.CREATE_FIRST_USER, new Accounts.NewUser("cross@example.com", "not used here")).id();
    }

    @AfterAll
    static void stop() throws Exception {
        first.close();
        second.close();
        writer.close();
        TempFiles.deleteTree(data);
    }

    @Test
    void aSignOutHereIsRefusedThereAtOnce() {
        Revocations local = Revocations.of(here);
        Revocations remote = Revocations.of(there);
        SessionTokens.Session session = TOKENS.session(TOKENS.issue(userId)).orElseThrow();
        assertTrue(remote.allowed(session), "good before (and the remote cache has just refreshed)");
        local.revoke(session);
        assertTrue(soon(() -> !remote.allowed(session)), "refused in the other process within a second");
    }

    @Test
    void signOutEverywhereHereEndsSessionsThere() {
        Revocations remote = Revocations.of(there);
        SessionTokens.Session session = TOKENS.session(TOKENS.issue(userId, remote.epoch(userId))).orElseThrow();
        assertTrue(remote.allowed(session));
        Revocations.of(here).signOutEverywhere(userId);
        assertTrue(soon(() -> !remote.allowed(session)));
    }

    @Test
    void aRevokedKeyIsForgottenThere() {
        ApiKeys local = ApiKeys.of(here);
        ApiKeys remote = ApiKeys.of(there);
        Revocations.of(there); // the process's guard listens from its start
        String key = local.create(userId, "cross", 0, null).key();
        long id = local.find(key).orElseThrow().id();
        assertTrue(remote.find(key).isPresent(), "known there, and cached for 10 s");
        local.revoke(Caller.session(userId), id);
        assertTrue(soon(() -> remote.find(key).isEmpty()), "forgotten there at once");
        assertFalse(local.find(key).isPresent());
    }

    /** Polls for up to a second: far below the 10 s the caches would otherwise take. */
    private static boolean soon(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
