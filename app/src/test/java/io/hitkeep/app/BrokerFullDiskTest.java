package io.hitkeep.app;

import io.hitkeep.core.BrokerSupervisor;
import io.hitkeep.core.NatsConnector;
import io.hitkeep.core.Settings;
import io.hitkeep.core.Subjects;
import io.hitkeep.testing.SmallVolume;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded broker on a small volume of its own (a tmpfs this test mounts; root only, skipped otherwise):
 * it starts there, and when the volume fills up and is freed again, it takes messages again by itself.
 * Regression (issue 16): with the disk full and then freed, the broker answered PING but its JetStream API
 * never replied until someone restarted it.
 */
@Timeout(240)
class BrokerFullDiskTest {
    private static final long MIB = 1L << 20;

    private SmallVolume volume;
    private Path mountPoint;
    private BrokerSupervisor supervisor;
    private Connection nats;

    private void mount(String size) throws Exception {
        volume = SmallVolume.mount(size);
        mountPoint = volume.path();
    }

    @AfterEach
    void unmount() throws Exception {
        if (nats != null) {
            nats.close();
        }
        if (supervisor != null) {
            supervisor.close();
        }
        if (volume != null) {
            volume.close();
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
        SmallVolume.fill(filler);
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
}
