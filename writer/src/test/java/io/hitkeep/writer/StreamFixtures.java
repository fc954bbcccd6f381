package io.hitkeep.writer;

import io.hitkeep.core.HitStream;
import io.hitkeep.core.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;

import java.time.Duration;

/** The hit stream as the writer's tests need it: emptied before a test, drained by the writer after one. */
final class StreamFixtures {
    private StreamFixtures() {
    }

    /** Each test starts from an empty stream: a fresh database would otherwise take in the earlier tests' hits. */
    static void empty(Connection nats) throws Exception {
        HitStream.ensure(nats.jetStreamManagement());
        nats.jetStreamManagement().purgeStream(Subjects.HIT_STREAM);
    }

    /**
     * The stream keeps written hits for a window, so "done" is the writer's consumer having nothing left to
     * deliver and nothing unacknowledged: it acknowledges only after the commit.
     */
    static void awaitDrained(Connection nats) throws Exception {
        var management = nats.jetStreamManagement();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                var consumer = management.getConsumerInfo(Subjects.HIT_STREAM, Subjects.WRITER_CONSUMER);
                if (consumer.getNumPending() == 0 && consumer.getNumAckPending() == 0) {
                    return;
                }
            } catch (JetStreamApiException notCreatedYet) {
                // the writer creates its consumer when it starts
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the writer did not drain the stream within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
