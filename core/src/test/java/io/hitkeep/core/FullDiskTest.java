package io.hitkeep.core;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The embedded broker on a small volume of its own (a tmpfs this test mounts; root only, skipped otherwise):
 * it starts there, and when the volume fills up and is freed again, it takes messages again by itself.
 * Regression (issue 16): with the disk full and then freed, the broker answered PING but its JetStream API
 * never replied until someone restarted it.
 */
@Timeout(240)
class FullDiskTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path temporary;
    /** A directory inside the temporary one: JUnit can then delete its own directory after the unmount. */
    private Path mountPoint;
    private boolean mounted;
    private BrokerSupervisor supervisor;
    private Connection nats;

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void mount(String size) throws Exception {
        assumeTrue(root(), "skipped: mounting a tmpfs needs root (run the tests as root to include the full-disk cases)");
        mountPoint = Files.createDirectory(temporary.resolve("volume"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        assumeTrue(mount.waitFor() == 0, "skipped: cannot mount a tmpfs here: " + output);
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (nats != null) {
            nats.close();
        }
        if (supervisor != null) {
            supervisor.close();
        }
        if (mounted) {
            // lazy: a server that was just stopped may hold a file for a moment longer
            new ProcessBuilder("umount", "-l", mountPoint.toString()).start().waitFor();
        }
    }

    private void startBroker() {
        supervisor = BrokerSupervisor.start(Settings.of(Map.of(Settings.DATA_PATH, mountPoint.resolve("data").toString())));
        nats = NatsConnector.connect(supervisor.url(), "test");
    }

    /** Regression: with the stream fixed at 8 GiB, nats-server refused to create it with less than ~10.7 GiB free. */
    @Test
    void startsOnAOneGibVolume() throws Exception {
        mount("1g");
        startBroker();

        long streamBytes = nats.jetStreamManagement().getStreamInfo(Subjects.HIT_STREAM).getConfiguration().getMaxBytes();
        assertTrue(streamBytes >= 400 * MIB && streamBytes <= 512 * MIB, "half the free gibibyte: " + (streamBytes / MIB) + " MiB");
        nats.jetStream().publish(Subjects.HITS, new byte[100]);
    }

    @Test
    void afterTheVolumeWasFullAndIsFreedMessagesAreStoredAgainWithoutARestartByHand() throws Exception {
        mount("48m");
        startBroker();
        JetStream jetStream = nats.jetStream(JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(2)).build());
        List<Long> stored = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            stored.add(jetStream.publish(Subjects.HITS, new byte[1000]).getSeqno());
        }

        Path filler = mountPoint.resolve("filler");
        fill(filler);
        int refused = 0;
        for (int i = 0; i < 200 && refused == 0; i++) {
            try {
                stored.add(jetStream.publish(Subjects.HITS, new byte[4000]).getSeqno());
            } catch (Exception full) {
                refused++;
            }
        }
        assertTrue(refused > 0, "a full volume refuses messages");

        Files.delete(filler);
        long freed = System.nanoTime();
        long deadline = freed + Duration.ofSeconds(120).toNanos();
        long storedAgain = -1;
        while (storedAgain < 0 && System.nanoTime() < deadline) {
            try {
                storedAgain = jetStream.publish(Subjects.HITS, new byte[100]).getSeqno();
            } catch (Exception stillWedged) {
                Thread.sleep(500);
            }
        }
        long recoveredMillis = Duration.ofNanos(System.nanoTime() - freed).toMillis();
        System.out.println("full-disk drill: stored again " + recoveredMillis + " ms after the space was freed");
        assertTrue(storedAgain > 0, "a message is stored again within 120 s of freeing the space");
        for (long sequence : stored) {
            assertEquals(sequence, nats.jetStreamManagement().getMessage(Subjects.HIT_STREAM, sequence).getSeq(),
                    "message " + sequence + " acknowledged before the disk was full is still there");
        }
    }

    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[(int) MIB];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }
}
