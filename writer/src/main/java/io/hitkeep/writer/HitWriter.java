package io.hitkeep.writer;

import io.hitkeep.core.Hit;
import io.hitkeep.core.HitCodec;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.HitStream;
import io.hitkeep.core.Metrics;
import io.hitkeep.core.Settings;
import io.hitkeep.core.Subjects;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StreamState;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The batcher: pulls micro-batches of hit messages from JetStream (up to {@code batch-size} messages, for
 * at most {@code batch-wait} after the first; sooner when a read waits for them, see {@link WriteProgress}),
 * appends their hits with the DuckDB Appender, stores the batch's last stream sequence in the same
 * transaction, commits, and only then acknowledges. It starts reading the stream after
 * the sequence stored in the database itself, so a database that lost its newest part (a write-ahead log cut
 * short, an older file restored) is refilled from the stream's window, and messages at or below the stored
 * sequence are skipped: exactly once across crashes. A message the consumer sent that never arrived is read
 * from the stream ({@link DeliveryGaps}). Runs on its own thread; {@link #close()} finishes the batch in hand.
 */
public final class HitWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HitWriter.class.getName());
    private static final LongAdder WRITTEN = Metrics.counter("hitkeep_writer_hits_written_total", "",
            "Pageviews, events and engagement pings committed to DuckDB");
    private static final LongAdder BATCHES = Metrics.counter("hitkeep_writer_batches_total", "",
            "Micro-batches committed to DuckDB");
    private static final LongAdder REPLAYED = Metrics.counter("hitkeep_writer_hits_reapplied_total", "",
            "Hits found in the stream's window at start that the database did not have");
    private static final LongAdder CORRUPT = Metrics.counter("hitkeep_writer_corrupt_messages_total", "",
            "Stream messages that could not be decoded");

    private final Database database;
    private final Connection nats;
    private final Settings settings;
    private final StreamTrimmer trimmer;
    private final DeliveryGaps gaps;
    private final int batchSize;
    private final Duration batchWait;
    private final Duration firstWait;
    private final WriteProgress progress;
    private final Sessions sessions = new Sessions();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean ready;
    private long lastSequence;
    /** The stream's last sequence when this consumer started: what the writer finds up to it is re-applied. */
    private long replayUntil;
    private long replayedMessages;
    private long replayedHits;
    private boolean firstBatchCommitted;

    public HitWriter(Database database, Connection nats, Settings settings, WriteProgress progress) {
        this.database = database;
        this.progress = progress;
        this.nats = nats;
        this.settings = settings;
        this.trimmer = new StreamTrimmer(nats);
        this.gaps = new DeliveryGaps(nats);
        this.batchSize = batchSize(settings);
        this.batchWait = settings.duration("batch-wait", Duration.ofMillis(100));
        this.firstWait = batchWait.compareTo(IDLE_PULL) > 0 ? batchWait : IDLE_PULL;
        this.thread = Thread.ofPlatform().name("hitkeep-writer").unstarted(this::run);
    }

    /** Stream messages per micro-batch at most ({@code batch-size}). */
    static int batchSize(Settings settings) {
        return settings.intValue("batch-size", 256);
    }

    public HitWriter start() {
        thread.start();
        return this;
    }

    /** Whether the batcher has its consumer and is writing. */
    public boolean ready() {
        return ready && thread.isAlive();
    }

    private void run() {
        while (running) {
            try (DuckDBConnection connection = database.connection()) {
                lastSequence = storedSequence(connection);
                sessions.resume(connection);
                JetStreamSubscription subscription = subscribe();
                progress.started(lastSequence);
                ready = true;
                LOG.info(() -> "writer consuming " + Subjects.HIT_STREAM + " after sequence " + lastSequence);
                consume(connection, subscription);
                subscription.unsubscribe();
            } catch (Exception e) {
                ready = false;
                progress.stopped();
                if (running) {
                    LOG.log(Level.SEVERE, "writer failed; starting over in 1 s", e);
                    pause(1000);
                }
            }
        }
    }

    private void consume(DuckDBConnection connection, JetStreamSubscription subscription)
            throws SQLException, IOException, JetStreamApiException {
        Tables tables = Tables.of(connection);
        // The row exists before the first batch, so each batch updates it: an INSERT OR REPLACE per batch took
        // about 3 ms in DuckDB against 1 ms for an UPDATE, half of a small batch's time (BENCHMARKS.md).
        try (PreparedStatement firstRow = connection.prepareStatement(
                "INSERT OR IGNORE INTO ingest_progress (stream, last_sequence) VALUES (?, ?)")) {
            firstRow.setString(1, Subjects.HIT_STREAM);
            firstRow.setLong(2, lastSequence);
            firstRow.execute();
        }
        try (PreparedStatement progressRow = connection.prepareStatement(
                     "UPDATE ingest_progress SET last_sequence = ? WHERE stream = ?")) {
            connection.setAutoCommit(false);
            long nextIdleCheck = System.nanoTime();
            while (running) {
                List<Message> batch = nextBatch(subscription);
                if (batch.isEmpty()) {
                    if (System.nanoTime() - nextIdleCheck >= 0) {
                        nextIdleCheck = System.nanoTime() + IDLE_CHECK_EVERY.toNanos();
                        write(connection, tables, progressRow, missedWhileIdle());
                    }
                    continue;
                }
                write(connection, tables, progressRow, gaps.after(lastSequence, batch));
                // Only now, after the commit. One ack for the whole batch (the consumer acknowledges all up to
                // it): one per message was a publish and a broker round of its own for every ~7 hits.
                newest(batch).ack();
                trimmer.trimIfNearlyFull(lastSequence);
            }
        } finally {
            tables.close();
        }
    }

    /** The message with the highest stream sequence: acknowledging it acknowledges the batch. */
    private static Message newest(List<Message> batch) {
        Message newest = batch.get(0);
        for (Message message : batch) {
            if (message.metaData().streamSequence() > newest.metaData().streamSequence()) {
                newest = message;
            }
        }
        return newest;
    }

    /**
     * How long one pull waits for a batch's first message. A message ends the wait at once, so this is only how
     * often an idle writer asks the broker again (and sees {@link #close()}). Every 100 ms was 10 pulls a second:
     * the writer and its connection's reader took 142 of the JVM's 330-odd thread ticks a minute at rest
     * (BENCHMARKS.md, twenty-first session).
     */
    private static final Duration IDLE_PULL = Duration.ofSeconds(1);

    /** How long the batcher waits for more messages at a time while a batch fills: how late it sees a waiting read. */
    private static final Duration FILL_SLICE = Duration.ofMillis(10);

    /**
     * The next micro-batch: waits up to {@link #IDLE_PULL} (or {@code batch-wait} when longer) for a first
     * message, then up to {@code batch-wait} from it for more, until {@code batch-size}. When a read waits for
     * the hits in hand, it takes what the stream has at once and stops there: one commit costs about the same
     * for one hit as for 256, and a dashboard should not wait for the batch to fill (nor for many small ones).
     */
    private List<Message> nextBatch(JetStreamSubscription subscription) {
        List<Message> batch = new ArrayList<>(subscription.fetch(1, firstWait));
        long fillUntil = System.nanoTime() + batchWait.toNanos();
        while (!batch.isEmpty() && batch.size() < batchSize) {
            // whole milliseconds: the client refuses a wait under one
            long leftMillis = (fillUntil - System.nanoTime()) / 1_000_000;
            if (leftMillis < 1) {
                break;
            }
            boolean readWaiting = progress.readWaiting();
            long waitMillis = readWaiting ? 1 : Math.min(leftMillis, FILL_SLICE.toMillis());
            batch.addAll(subscription.fetch(batchSize - batch.size(), Duration.ofMillis(waitMillis)));
            if (readWaiting) {
                break;
            }
        }
        return batch;
    }

    /**
     * The Appenders of one connection, one per table a hit can go to, and one for the hours whose rollups the
     * hits change ({@code rollup_pending}): marked in the same transaction as the hits, so no hit escapes the
     * rollups, whatever crashes when.
     */
    private record Tables(DuckDBAppender hits, DuckDBAppender events, DuckDBAppender engagements,
                          DuckDBAppender pending) {
        static Tables of(DuckDBConnection connection) throws SQLException {
            List<DuckDBAppender> opened = new ArrayList<>();
            try {
                for (String table : List.of("hits", "events", "engagements", "rollup_pending")) {
                    opened.add(connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table));
                }
            } catch (SQLException e) {
                for (DuckDBAppender appender : opened) {
                    appender.close();
                }
                throw e;
            }
            return new Tables(opened.get(0), opened.get(1), opened.get(2), opened.get(3));
        }

        /** Appends the hits, then one pending mark per site and UTC hour that got a pageview or a ping. */
        void append(List<Hit> batch, Sessions sessions) throws SQLException {
            Set<List<Long>> hours = new HashSet<>();
            for (Hit hit : batch) {
                long sessionId = sessions.sessionOf(hit);
                if (hit.isEngagement()) {
                    appendEngagement(engagements, hit, sessionId);
                } else {
                    HitWriter.append(hit.isEvent() ? events : hits, hit, sessionId);
                }
                if (!hit.isEvent()) {
                    hours.add(List.of((long) hit.siteId(), Math.floorDiv(hit.timestampMicros(), MICROS_PER_HOUR) * MICROS_PER_HOUR));
                }
            }
            for (List<Long> hour : hours) {
                pending.beginRow();
                pending.append(hour.get(0).intValue());
                pending.appendEpochMicros(hour.get(1));
                pending.endRow();
            }
            hits.flush();
            events.flush();
            engagements.flush();
            pending.flush();
        }

        void close() throws SQLException {
            for (DuckDBAppender appender : List.of(hits, events, engagements, pending)) {
                appender.close();
            }
        }
    }

    private static final long MICROS_PER_HOUR = 3_600_000_000L;
    /** How often a writer with nothing to do asks its consumer whether it delivered something that never came. */
    private static final Duration IDLE_CHECK_EVERY = Duration.ofSeconds(5);

    /**
     * What the consumer delivered while the writer waited and that never arrived: a delivery lost with the
     * batch's newest message is found by no later batch (see {@link DeliveryGaps}), so an idle writer asks the
     * consumer how far it delivered. A message still on its way when it asks is read twice, and written once.
     */
    private List<DeliveryGaps.Entry> missedWhileIdle() {
        try {
            long delivered = nats.jetStreamManagement().getConsumerInfo(Subjects.HIT_STREAM, Subjects.WRITER_CONSUMER)
                    .getDelivered().getStreamSequence();
            return delivered > lastSequence ? gaps.read(lastSequence + 1, delivered) : List.of();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            // the broker is away (or electing a leader): the next idle check asks again
            LOG.fine(() -> "cannot ask the writer's consumer how far it delivered: " + e.getMessage());
            return List.of();
        }
    }

    /** Writes {@code entries} (in stream order, all after {@link #lastSequence}) and their last sequence in one transaction. */
    private void write(DuckDBConnection connection, Tables tables, PreparedStatement progressRow, List<DeliveryGaps.Entry> entries)
            throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        long batchLast = entries.getLast().sequence();
        List<Hit> decoded = new ArrayList<>();
        for (DeliveryGaps.Entry entry : entries) {
            long sequence = entry.sequence();
            try {
                List<Hit> hits = HitCodec.decode(entry.data());
                decoded.addAll(hits);
                if (sequence <= replayUntil) {
                    replayedMessages++;
                    replayedHits += hits.size();
                }
            } catch (HitKeepException e) {
                CORRUPT.increment();
                LOG.warning("skipping undecodable message " + sequence + ": " + e.getMessage());
            }
        }
        try {
            // The progress row goes first: with auto-commit off, DuckDB begins the transaction at the first
            // statement, and the Appender's rows (it flushes on its own when a chunk fills) join it only then.
            progressRow.setLong(1, batchLast);
            progressRow.setString(2, Subjects.HIT_STREAM);
            if (progressRow.executeUpdate() != 1) {
                throw new SQLException("the row of " + Subjects.HIT_STREAM + " in ingest_progress is gone");
            }
            tables.append(decoded, sessions);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
        lastSequence = batchLast;
        progress.committed(batchLast);
        WRITTEN.add(decoded.size());
        BATCHES.increment();
        if (!firstBatchCommitted) {
            // with its time: a standby's takeover is measured from the old leader's death to this line
            firstBatchCommitted = true;
            long through = batchLast;
            LOG.info(() -> "first batch after start committed at " + java.time.Instant.now() + " (through stream sequence " + through + ")");
        }
        if (replayUntil > 0 && lastSequence >= replayUntil) {
            reportReplay();
        }
    }

    /** Says how many hits the database did not have at start and got from the stream's window. */
    private void reportReplay() {
        long messages = replayedMessages;
        long hits = replayedHits;
        if (hits > 0) {
            LOG.info(() -> "re-applied " + hits + " hits (" + messages + " stream messages) that were in "
                    + Subjects.HIT_STREAM + " but not in the database");
        }
        REPLAYED.add(hits);
        replayUntil = 0;
    }

    private static void appendEngagement(DuckDBAppender appender, Hit hit, long sessionId) throws SQLException {
        appender.beginRow();
        appender.appendEpochMicros(hit.timestampMicros());
        appender.append(hit.siteId());
        appender.append(hit.path());
        appender.append(hit.visitorId());
        appender.append(sessionId);
        appender.append(hit.engagedMillis());
        appender.endRow();
    }

    private static void append(DuckDBAppender appender, Hit hit, long sessionId) throws SQLException {
        appender.beginRow();
        appender.appendEpochMicros(hit.timestampMicros());
        appender.append(hit.siteId());
        if (hit.isEvent()) {
            appender.append(hit.eventName());
            appender.append(hit.propsJson().isEmpty() ? "{}" : hit.propsJson());
        }
        appender.append(hit.hostname());
        appender.append(hit.path());
        appender.append(hit.referrerHost());
        appender.append(hit.source());
        appender.append(hit.utmSource());
        appender.append(hit.utmMedium());
        appender.append(hit.utmCampaign());
        appender.append(hit.utmTerm());
        appender.append(hit.utmContent());
        appender.append(hit.country());
        appender.append(hit.browser());
        appender.append(hit.os());
        appender.append(hit.device());
        appender.append(hit.language());
        appender.append(hit.viewportWidth());
        appender.append(hit.visitorId());
        appender.append(sessionId);
        // added by migration 002, so last in both tables
        appender.append(hit.browserVersion());
        appender.append(hit.osVersion());
        appender.append(hit.medium());
        appender.endRow();
    }

    private static long storedSequence(DuckDBConnection connection) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT last_sequence FROM ingest_progress WHERE stream = ?")) {
            statement.setString(1, Subjects.HIT_STREAM);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    /**
     * A fresh durable consumer that starts after the sequence the database stores: the stream keeps a window
     * of hits, so everything newer than what the database holds comes again, whatever the broker thinks was
     * acknowledged. Recreating it (rather than resuming) delivers those messages at once instead of after
     * their ack wait. Acknowledging a message acknowledges every earlier one ({@code AckPolicy.All}): the
     * batcher acknowledges each committed batch by its newest message.
     */
    private JetStreamSubscription subscribe() throws IOException, JetStreamApiException {
        JetStreamManagement management = nats.jetStreamManagement();
        HitStream.ensure(management, settings);
        StreamState state = management.getStreamInfo(Subjects.HIT_STREAM).getStreamState();
        if (state.getLastSequence() < lastSequence) {
            // the stream is younger than the database (recreated, or the broker's files were lost): its
            // numbering started again, and every message in it is new to the database
            long stored = lastSequence;
            lastSequence = Math.max(0, state.getFirstSequence() - 1);
            LOG.warning(() -> "the database has hits up to stream sequence " + stored + " but " + Subjects.HIT_STREAM
                    + " ends at " + state.getLastSequence() + ": the stream was recreated; reading it from " + (lastSequence + 1));
        } else if (state.getMsgCount() > 0 && state.getFirstSequence() > lastSequence + 1) {
            long stored = lastSequence;
            LOG.warning(() -> "the database has hits up to stream sequence " + stored + ", and " + Subjects.HIT_STREAM
                    + " starts at " + state.getFirstSequence() + ": messages " + (stored + 1) + " to " + (state.getFirstSequence() - 1)
                    + " are older than the stream's window and cannot be re-applied");
        }
        replayUntil = state.getLastSequence() > lastSequence ? state.getLastSequence() : 0;
        replayedMessages = 0;
        replayedHits = 0;
        try {
            management.deleteConsumer(Subjects.HIT_STREAM, Subjects.WRITER_CONSUMER);
        } catch (JetStreamApiException absent) {
            // first start
        }
        management.addOrUpdateConsumer(Subjects.HIT_STREAM, ConsumerConfiguration.builder()
                .durable(Subjects.WRITER_CONSUMER)
                .ackPolicy(AckPolicy.All)
                .deliverPolicy(DeliverPolicy.ByStartSequence)
                .startSequence(lastSequence + 1)
                .ackWait(Duration.ofMinutes(5))
                .maxAckPending(100_000)
                .build());
        return nats.jetStream().subscribe(null, PullSubscribeOptions.bind(Subjects.HIT_STREAM, Subjects.WRITER_CONSUMER));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops after the batch in hand is committed and acknowledged. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        progress.stopped();
    }

    /**
     * Stores hits as the batcher does (sessions, the same Appenders, one transaction) but without a stream:
     * for tests of the stats SQL on a real file, and for tools that load hits into a stopped installation.
     */
    public static void store(Database database, List<Hit> hits) {
        Sessions sessions = new Sessions();
        try (DuckDBConnection connection = database.connection()) {
            sessions.resume(connection);
            connection.setAutoCommit(false);
            // as in write(): a statement first, so that DuckDB has begun the transaction that the Appenders' rows
            // join; without it each table's rows could commit on their own
            try (Statement begin = connection.createStatement()) {
                begin.execute("SELECT 1");
            }
            Tables tables = Tables.of(connection);
            try {
                tables.append(hits, sessions);
            } finally {
                tables.close();
            }
            connection.commit();
        } catch (SQLException e) {
            throw new HitKeepException("cannot store hits: " + e.getMessage(), e);
        }
    }
}