package io.hitkeep.writer;

import io.hitkeep.core.HitStream;
import io.hitkeep.core.Settings;
import io.hitkeep.core.Subjects;
import io.hitkeep.testing.NatsBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against a real stream of 1 MiB: 1,000 messages of 1 KiB fill it to about 100 %. */
class StreamTrimmerTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    private static io.nats.client.api.StreamInfo fillStream() throws Exception {
        var management = broker.connection().jetStreamManagement();
        try {
            management.deleteStream(Subjects.HIT_STREAM);
        } catch (io.nats.client.JetStreamApiException absent) {
            // first test
        }
        HitStream.ensure(management, Settings.of(Map.of(Settings.STREAM_MAX_BYTES, "1MB")));
        var jetStream = broker.connection().jetStream();
        for (int i = 0; i < 2000; i++) {
            try {
                jetStream.publish(Subjects.HITS, new byte[1000]);
            } catch (io.nats.client.JetStreamApiException full) {
                break;
            }
        }
        return management.getStreamInfo(Subjects.HIT_STREAM);
    }

    @Test
    void writtenMessagesGoWhenTheStreamIsNearlyFull() throws Exception {
        var full = fillStream();
        long last = full.getStreamState().getLastSequence();

        new StreamTrimmer(broker.connection()).trimIfNearlyFull(last);

        var trimmed = broker.connection().jetStreamManagement().getStreamInfo(Subjects.HIT_STREAM).getStreamState();
        assertTrue(trimmed.getByteCount() <= (long) (StreamTrimmer.TRIM_TO * (1 << 20)) + 2000,
                "trimmed to " + trimmed.getByteCount() + " bytes");
        assertEquals(last, trimmed.getLastSequence());
    }

    @Test
    void messagesTheWriterHasNotWrittenStay() throws Exception {
        var full = fillStream();
        long firstUnwritten = full.getStreamState().getFirstSequence() + 10;

        new StreamTrimmer(broker.connection()).trimIfNearlyFull(firstUnwritten - 1);

        assertEquals(firstUnwritten, broker.connection().jetStreamManagement().getStreamInfo(Subjects.HIT_STREAM)
                .getStreamState().getFirstSequence());
    }
}
