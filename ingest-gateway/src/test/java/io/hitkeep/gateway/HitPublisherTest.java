package io.hitkeep.gateway;

import io.hitkeep.core.Hit;
import io.hitkeep.core.HitCodec;
import io.hitkeep.core.HitStream;
import io.hitkeep.core.Subjects;
import io.hitkeep.testing.NatsBroker;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class HitPublisherTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    static Hit hit(long visitor) {
        Hit.Builder hit = Hit.builder();
        hit.timestampMicros = 1_735_689_600_000_000L + visitor;
        hit.siteId = 1;
        hit.hostname = "example.com";
        hit.path = "/page/" + visitor;
        hit.browser = "Firefox";
        hit.visitorId = visitor;
        return hit.build();
    }

    private static JetStreamManagement management() throws Exception {
        return broker.connection().jetStreamManagement();
    }

    @BeforeEach
    void emptyStream() throws Exception {
        HitStream.ensure(management());
        management().purgeStream(Subjects.HIT_STREAM);
    }

    /** Every message in the stream, decoded; the stream is a work queue nobody consumes here. */
    private static List<List<Hit>> messages() throws Exception {
        StreamState state = management().getStreamInfo(Subjects.HIT_STREAM).getStreamState();
        List<List<Hit>> messages = new ArrayList<>();
        if (state.getMsgCount() == 0) {
            return messages;
        }
        for (long sequence = state.getFirstSequence(); sequence <= state.getLastSequence(); sequence++) {
            messages.add(HitCodec.decode(management().getMessage(Subjects.HIT_STREAM, sequence).getData()));
        }
        assertEquals(state.getMsgCount(), messages.size());
        return messages;
    }

    @Test
    void publishedHitIsInTheStreamWhenTheFutureCompletes() throws Exception {
        try (HitPublisher publisher = new HitPublisher(broker.connection())) {
            Hit hit = hit(42);

            publisher.publish(hit).get(10, TimeUnit.SECONDS);

            assertEquals(List.of(List.of(hit)), messages());
        }
    }

    @Test
    void concurrentPublishesAreCoalescedAndStoredExactlyOnce() throws Exception {
        int count = 2000;
        AtomicInteger failures = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        try (HitPublisher publisher = new HitPublisher(broker.connection())) {
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long visitor = i;
                callers.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                        publisher.publish(hit(visitor)).get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }));
            }
            go.countDown();
            for (Thread caller : callers) {
                caller.join();
            }
        }

        assertEquals(0, failures.get(), "publishes that failed");
        List<List<Hit>> messages = messages();
        Set<Long> visitors = new HashSet<>();
        int total = 0;
        for (List<Hit> message : messages) {
            total += message.size();
            message.forEach(hit -> visitors.add(hit.visitorId()));
        }
        assertEquals(count, total, "hits over all messages");
        assertEquals(count, visitors.size(), "distinct hits");
        assertTrue(messages.size() < count, messages.size() + " messages for " + count + " hits: nothing was coalesced");
    }

    /**
     * Regression: a batch was published as one message however large, and a message over the broker's
     * max_payload (4 MB embedded, 1 MB by default) is refused, which failed every hit in the batch (503s
     * under load with large events). Here 20 hits of 1.5 MB arrive together, 30 MB in all.
     */
    @Test
    void batchesLargerThanTheBrokersMaxPayloadAreSplit() throws Exception {
        int count = 20;
        String props = "{\"blob\":\"" + "x".repeat(1_500_000) + "\"}";
        List<CompletableFuture<Void>> stored = new ArrayList<>();
        try (HitPublisher publisher = new HitPublisher(broker.connection())) {
            for (int i = 0; i < count; i++) {
                Hit.Builder hit = Hit.builder();
                hit.siteId = 1;
                hit.visitorId = i;
                hit.eventName = "upload";
                hit.propsJson = props;
                stored.add(publisher.publish(hit.build()));
            }
            for (CompletableFuture<Void> future : stored) {
                future.get(30, TimeUnit.SECONDS);
            }
        }

        List<List<Hit>> messages = messages();
        assertEquals(count, messages.stream().mapToInt(List::size).sum());
        assertTrue(messages.stream().allMatch(message -> HitCodec.encode(message).length <= broker.connection().getMaxPayload()));
    }

    @Test
    void closePublishesWhatIsQueued() throws Exception {
        List<CompletableFuture<Void>> stored = new ArrayList<>();
        HitPublisher publisher = new HitPublisher(broker.connection());
        for (int i = 0; i < 500; i++) {
            stored.add(publisher.publish(hit(i)));
        }

        publisher.close();

        assertTrue(stored.stream().allMatch(future -> future.isDone() && !future.isCompletedExceptionally()));
        assertEquals(500, messages().stream().mapToInt(List::size).sum());
    }

    @Test
    void publishAfterCloseFails() {
        HitPublisher publisher = new HitPublisher(broker.connection());
        publisher.close();

        CompletableFuture<Void> stored = publisher.publish(hit(1));

        assertThrows(ExecutionException.class, () -> stored.get(1, TimeUnit.SECONDS));
    }
}
