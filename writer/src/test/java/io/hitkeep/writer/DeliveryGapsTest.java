package io.hitkeep.writer;

import io.hitkeep.core.Subjects;
import io.hitkeep.testing.NatsBroker;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.PurgeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeliveryGapsTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    /** Publishes messages "m1" to "m{count}" to an empty hit stream; returns the first one's sequence. */
    private static long publish(int count) throws Exception {
        StreamFixtures.empty(broker.connection());
        long first = -1;
        for (int i = 1; i <= count; i++) {
            long sequence = broker.connection().jetStream().publish(Subjects.HITS, ("m" + i).getBytes(StandardCharsets.UTF_8)).getSeqno();
            first = first < 0 ? sequence : first;
        }
        return first;
    }

    /** Every message from {@code first} on, as a consumer delivers them. */
    private static List<Message> delivered(long first, int count) throws Exception {
        JetStreamSubscription reader = broker.connection().jetStream().subscribe(null, PullSubscribeOptions.builder()
                .stream(Subjects.HIT_STREAM)
                .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(first).build())
                .build());
        List<Message> messages = new ArrayList<>();
        while (messages.size() < count) {
            List<Message> fetched = reader.fetch(count - messages.size(), Duration.ofSeconds(2));
            if (fetched.isEmpty()) {
                throw new AssertionError("the stream delivered " + messages.size() + " of " + count);
            }
            messages.addAll(fetched);
        }
        reader.unsubscribe();
        return messages;
    }

    private static List<String> texts(List<DeliveryGaps.Entry> entries) {
        return entries.stream().map(entry -> new String(entry.data(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void skippedSequencesAreReadFromTheStreamInOrder() throws Exception {
        long first = publish(6);
        List<Message> all = delivered(first, 6);
        // m2 and m3 never arrived, m6 came before m5, and m5 came twice
        List<Message> batch = List.of(all.get(0), all.get(3), all.get(5), all.get(4), all.get(4));
        List<DeliveryGaps.Entry> entries = new DeliveryGaps(broker.connection()).after(first - 1, batch);
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "m6"), texts(entries));
        for (int i = 0; i < entries.size(); i++) {
            assertEquals(first + i, entries.get(i).sequence());
        }
    }

    @Test
    void messagesAtOrBeforeTheCommittedSequenceAreLeftOut() throws Exception {
        long first = publish(4);
        List<Message> all = delivered(first, 4);
        assertEquals(List.of("m3", "m4"), texts(new DeliveryGaps(broker.connection()).after(first + 1, all)));
        assertEquals(List.of(), new DeliveryGaps(broker.connection()).after(first + 3, all));
    }

    @Test
    void deletedAndPurgedSequencesArePassedOver() throws Exception {
        long first = publish(6);
        List<Message> all = delivered(first, 6);
        var management = broker.connection().jetStreamManagement();
        management.purgeStream(Subjects.HIT_STREAM, PurgeOptions.builder().sequence(first + 2).build());  // m1, m2 gone
        management.deleteMessage(Subjects.HIT_STREAM, first + 3);  // m4 gone
        // the committed sequence is before m1; the batch has m6 only
        List<DeliveryGaps.Entry> entries = new DeliveryGaps(broker.connection()).after(first - 1, List.of(all.get(5)));
        assertEquals(List.of("m3", "m5", "m6"), texts(entries));
    }
}
