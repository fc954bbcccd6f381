package io.hitkeep.writer;

import io.hitkeep.core.Metrics;
import io.hitkeep.core.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.api.MessageInfo;
import io.nats.client.support.NatsJetStreamConstants;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Turns what the writer's consumer delivered into the unbroken run of stream messages after the committed
 * sequence, reading any message the consumer skipped from the stream itself.
 *
 * <p>Why a consumer can skip one: the broker counts a message as delivered when it sends it, not when the
 * writer gets it. A message on its way through a broker that dies (the writer's, or one between it and the
 * consumer) never arrives, the consumer goes on with the next, and the writer's acknowledgement of a later
 * message acknowledges the lost one too ({@code AckPolicy.All}). Without this, that hit was answered 202 and
 * never written: the Compose drill lost one hit that way once, in the second it killed one of its three brokers.
 *
 * <p>A sequence below the stream's first one is gone for good (older than its window, or purged); a sequence
 * inside the window that the stream does not have was deleted. Both are passed over: there is nothing to read.
 * Used by the writer's thread only.
 */
final class DeliveryGaps {
    private static final Logger LOG = Logger.getLogger(DeliveryGaps.class.getName());
    private static final LongAdder REDELIVERED = Metrics.counter("hitkeep_writer_redelivered_skipped_total", "",
            "Stream messages skipped because their hits were already committed");
    private static final LongAdder READ_BACK = Metrics.counter("hitkeep_writer_missed_deliveries_read_total", "",
            "Stream messages the writer's consumer skipped (lost on their way to the writer), read from the stream by sequence");

    /** One stream message: its sequence and its encoded hits. */
    record Entry(long sequence, byte[] data) {
    }

    private final Connection nats;
    private long warnedFrom = -1;

    DeliveryGaps(Connection nats) {
        this.nats = nats;
    }

    /**
     * The messages of {@code batch} after {@code committed}, in stream order, each once, with every sequence
     * that the batch skips read from the stream. Messages at or below {@code committed} (redeliveries of
     * written ones) are left out.
     *
     * @throws IOException or {@link JetStreamApiException} when the stream cannot be read: the batch is then not
     *                     written, and the writer starts over from the database's sequence
     */
    List<Entry> after(long committed, List<Message> batch) throws IOException, JetStreamApiException {
        List<Message> ordered = new ArrayList<>(batch);
        ordered.sort(Comparator.comparingLong(message -> message.metaData().streamSequence()));
        List<Entry> entries = new ArrayList<>(ordered.size());
        long expected = committed + 1;
        for (Message message : ordered) {
            long sequence = message.metaData().streamSequence();
            if (sequence < expected) {
                REDELIVERED.increment();  // written already, or twice in this batch
                continue;
            }
            if (sequence > expected) {
                entries.addAll(read(expected, sequence - 1));
            }
            entries.add(new Entry(sequence, message.getData()));
            expected = sequence + 1;
        }
        return entries;
    }

    /** The messages from {@code from} to {@code to} that the stream has, read by sequence. */
    List<Entry> read(long from, long to) throws IOException, JetStreamApiException {
        JetStreamManagement management = nats.jetStreamManagement();
        long first = management.getStreamInfo(Subjects.HIT_STREAM).getStreamState().getFirstSequence();
        if (from < first && from != warnedFrom) {
            warnedFrom = from;  // an idle writer asks again every few seconds: one warning is enough
            long gone = Math.min(to, first - 1);
            LOG.warning(() -> "stream messages " + from + " to " + gone + " were never delivered to the writer and are older than "
                    + Subjects.HIT_STREAM + "'s window: they cannot be written");
        }
        List<Entry> entries = new ArrayList<>();
        for (long sequence = Math.max(from, first); sequence <= to; sequence++) {
            try {
                MessageInfo message = management.getMessage(Subjects.HIT_STREAM, sequence);
                if (message.isMessage()) {
                    entries.add(new Entry(message.getSeq(), message.getData()));
                }
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != NatsJetStreamConstants.JS_NO_MESSAGE_FOUND_ERR) {
                    throw e;
                }
                // deleted from the stream: nothing to write
            }
        }
        if (!entries.isEmpty()) {
            READ_BACK.add(entries.size());
            int count = entries.size();
            LOG.info(() -> "read " + count + " stream message(s) from " + from + " to " + to
                    + " that the writer's consumer sent but the writer did not receive");
        }
        return entries;
    }
}
