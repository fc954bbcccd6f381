package io.hitkeep.writer;

import io.hitkeep.core.Hit;
import io.hitkeep.core.HitCodec;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Settings;
import io.hitkeep.core.Subjects;
import io.hitkeep.testing.NatsBroker;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two writer replicas in one JVM: two JGroups channels on loopback, one data directory, one nats-server. */
class WriterClusterTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    @Test
    void theStandbyTakesOverAndEveryHitIsStoredOnce() throws Exception {
        Path data = TempFiles.directory("hk-cluster-");
        int firstPort = freePort();
        int secondPort = freePort();
        String peers = "127.0.0.1:" + firstPort + ",127.0.0.1:" + secondPort;
        StreamFixtures.empty(broker.connection());
        WriterCluster first = null;
        WriterCluster second = null;
        try {
            first = WriterCluster.start(replica(data, peers, firstPort), broker.connection());
            WriterCluster leader = first;
            await("the first replica leads", () -> leader.role() == WriterCluster.Role.LEADER && leader.ready());
            assertEquals("leader", first.roleName());

            second = WriterCluster.start(replica(data, peers, secondPort), broker.connection());
            WriterCluster standby = second;
            await("both replicas are in one group", () -> standby.members().size() == 2 && leader.members().size() == 2);
            assertEquals(WriterCluster.Role.STANDBY, second.role());
            assertEquals("standby", second.roleName());
            assertTrue(second.ready(), "a standby is ready: it can take over");
            assertTrue(second.state().startsWith("standby"), second.state());

            publish(0, 40);
            first.close();
            first = null;
            // published while nobody leads: JetStream keeps them for the next leader
            publish(40, 20);
            await("the standby takes over", () -> standby.role() == WriterCluster.Role.LEADER && standby.ready());
            publish(60, 20);
            StreamFixtures.awaitDrained(broker.connection());
            second.close();
            second = null;

            try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())))) {
                // 80 messages of 10 hits, each path once: a hit written twice would show in both counts
                assertEquals(800, HitWriterTest.count(database, "SELECT count(*) FROM hits WHERE site_id = 7"));
                assertEquals(800, HitWriterTest.count(database, "SELECT count(DISTINCT path) FROM hits WHERE site_id = 7"));
            }
        } finally {
            if (second != null) {
                second.close();
            }
            if (first != null) {
                first.close();
            }
            TempFiles.deleteTree(data);
        }
    }

    /**
     * The fence: another process (here a child JVM standing in for a leader cut off from the group) holds
     * hitkeep.db's lock, so the coordinator must not write, must say why, and must take over once the
     * lock is free. A child process, because DuckDB's lock does not keep out a second open in one JVM.
     */
    @Test
    void aCoordinatorWaitsWhileAnotherProcessHoldsTheFile() throws Exception {
        Path data = TempFiles.directory("hk-fence-");
        int port = freePort();
        StreamFixtures.empty(broker.connection());
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), data.resolve("hitkeep.db").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        WriterCluster cluster = null;
        try {
            var holderOutput = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()));
            assertEquals("holding", holderOutput.readLine(), "the child JVM opened hitkeep.db");
            cluster = WriterCluster.start(replica(data, "127.0.0.1:" + port, port), broker.connection());
            WriterCluster fenced = cluster;
            await("the coordinator reports the lock", () -> fenced.state().contains("cannot open hitkeep.db")
                    && fenced.state().contains("attempt 3"));
            assertEquals(WriterCluster.Role.TAKING_OVER, cluster.role());
            assertEquals("standby", cluster.roleName());
            assertFalse(cluster.ready(), "a writer that cannot open the file is not ready");
            publish(100, 5);

            holder.getOutputStream().close();
            assertEquals(0, holder.waitFor(), "the child JVM let go of hitkeep.db");
            await("the coordinator takes over once the lock is free", () -> fenced.role() == WriterCluster.Role.LEADER);
            StreamFixtures.awaitDrained(broker.connection());
            cluster.close();
            cluster = null;
            try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())))) {
                assertEquals(50, HitWriterTest.count(database, "SELECT count(*) FROM hits WHERE site_id = 7"));
            }
        } finally {
            holder.destroyForcibly();
            if (cluster != null) {
                cluster.close();
            }
            TempFiles.deleteTree(data);
        }
    }

    /** Run in a child JVM: opens the DuckDB file named by its argument and holds it until stdin closes. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            try (var connection = java.sql.DriverManager.getConnection("jdbc:duckdb:" + args[0])) {
                System.out.println("holding");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // until the test closes our stdin
                }
            }
        }
    }

    @Test
    void peersAndBindAreCheckedAndFilledIntoTheStack() {
        String stack = WriterCluster.stackConfig("writer-1:7800, writer-2", "10.0.0.5:7801");
        assertTrue(stack.contains("initial_hosts=\"writer-1[7800],writer-2[7800]\""), stack);
        assertTrue(stack.contains("bind_addr=\"10.0.0.5\""), stack);
        assertTrue(stack.contains("bind_port=\"7801\""), stack);
        assertFalse(stack.contains("{{"), stack);
        assertThrows(HitKeepException.class, () -> WriterCluster.stackConfig("writer-1:x", "site_local"));
        assertThrows(HitKeepException.class, () -> WriterCluster.stackConfig("a\"b:7800", "site_local"));
        assertThrows(HitKeepException.class, () -> WriterCluster.stackConfig(" , ", "site_local"));
    }

    private static Settings replica(Path data, String peers, int port) {
        return Settings.of(Map.of(Settings.DATA_PATH, data.toString(), "batch-wait", "20ms",
                WriterCluster.PEERS, peers, WriterCluster.BIND, "127.0.0.1:" + port));
    }

    /** {@code count} messages of 10 pageviews each, every one with a path of its own. */
    private static void publish(int firstMessage, int count) throws Exception {
        long now = System.currentTimeMillis() * 1000;
        for (int message = firstMessage; message < firstMessage + count; message++) {
            List<Hit> hits = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                hits.add(HitWriterTest.pageview(7, "/m" + message + "/h" + i, message, now + i));
            }
            broker.connection().jetStream().publish(Subjects.HITS, HitCodec.encode(hits));
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
