package io.hitkeep.core;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PurgeOptions;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The JetStream stream of accepted hits, on file storage. It keeps every hit for a window
 * ({@code HITKEEP_STREAM_MAX_AGE}, default 7 days) whether or not the writer has written it, so that a database
 * that lost its newest part (a cut write-ahead log, a restored older file) is refilled from the stream: the
 * writer resumes after the sequence stored in the database. When full ({@code HITKEEP_STREAM_MAX_BYTES}) it
 * refuses new messages (the gateway answers 503) rather than dropping old ones that may not be written yet;
 * the writer trims what it has written when the stream nears its size. Publishers send a message id, and the
 * stream drops a second copy within {@link #DUPLICATE_WINDOW}. Stateless; thread-safe.
 */
public final class HitStream {
    private static final Logger LOG = Logger.getLogger(HitStream.class.getName());
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
    /** The size a stream gets when nothing says otherwise and the broker allows it. */
    static final long DEFAULT_MAX_BYTES = StorageBudget.LARGEST_STREAM;
    /**
     * How long a message id is remembered: the gateway's own retries need seconds; a backend that retries a
     * hit it sent with an {@code Idempotency-Key} may need minutes (JetStream's default is 2).
     */
    public static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(10);
    private static final int STREAM_EXISTS = 10058;
    private static final int INSUFFICIENT_RESOURCES = 10047;

    private HitStream() {
    }

    /**
     * {@code HITKEEP_STREAM_REPLICAS} (environment or YAML file; the callers do not pass their settings),
     * read when a stream or bucket is created. An existing stream keeps the replicas it was made with.
     */
    static int replicas() {
        return Settings.load(new String[0]).streamReplicas();
    }

    /**
     * Creates the stream if it does not exist, as large as the broker allows up to 8 GiB; leaves an existing one
     * as it is. For roles that publish (the gateways); the writer owns the stream's limits.
     */
    public static void ensure(JetStreamManagement management) {
        ensure(management, Settings.of(java.util.Map.of()), false);
    }

    /**
     * Creates the stream, or gives an existing one the limits the settings name ({@code stream-max-bytes},
     * {@code stream-max-age}); limits not set are left as they are.
     */
    public static void ensure(JetStreamManagement management, Settings settings) {
        ensure(management, settings, false);
    }

    /**
     * As {@link #ensure(JetStreamManagement, Settings)}, and also replaces an empty work-queue stream of an
     * earlier version (JetStream cannot change a stream's retention) by the windowed one, with its sequence
     * numbers continuing. Only safe while nobody publishes: the embedded broker's supervisor calls it before
     * any role connects. A work queue that still holds hits is left to the writer and replaced at a later start.
     */
    public static void prepare(JetStreamManagement management, Settings settings) {
        ensure(management, settings, true);
    }

    static StreamConfiguration configuration(long maxBytes, Duration maxAge) {
        return StreamConfiguration.builder()
                .name(Subjects.HIT_STREAM)
                .subjects(Subjects.HITS)
                .storageType(StorageType.File)
                .retentionPolicy(RetentionPolicy.Limits)
                .discardPolicy(DiscardPolicy.New)
                .maxBytes(maxBytes)
                .maxAge(maxAge)
                .duplicateWindow(DUPLICATE_WINDOW)
                .replicas(replicas())
                .build();
    }

    private static void ensure(JetStreamManagement management, Settings settings, boolean mayReplaceWorkQueue) {
        Optional<Long> maxBytes = settings.bytes(Settings.STREAM_MAX_BYTES);
        Optional<Duration> maxAge = settings.value(Settings.STREAM_MAX_AGE).map(any -> settings.duration(Settings.STREAM_MAX_AGE, DEFAULT_MAX_AGE));
        try {
            Optional<StreamInfo> existing = info(management);
            if (existing.isPresent() && existing.get().getConfiguration().getRetentionPolicy() == RetentionPolicy.WorkQueue) {
                StreamInfo workQueue = existing.get();
                if (!mayReplaceWorkQueue || workQueue.getStreamState().getMsgCount() > 0) {
                    LOG.warning(() -> "the hit stream is a work queue of an earlier version: it keeps no window of written hits"
                            + " until it is replaced (by the single binary at a start where the writer has emptied it)");
                    return;
                }
                long nextSequence = workQueue.getStreamState().getLastSequence() + 1;
                management.deleteStream(Subjects.HIT_STREAM);
                create(management, maxBytes, maxAge.orElse(DEFAULT_MAX_AGE));
                // the database stores the last written sequence: new hits must number on from the old stream's
                management.purgeStream(Subjects.HIT_STREAM, PurgeOptions.builder().sequence(nextSequence).build());
                LOG.info(() -> "replaced the work-queue hit stream by one that keeps hits for " + maxAge.orElse(DEFAULT_MAX_AGE)
                        + "; sequences continue at " + nextSequence);
                return;
            }
            if (existing.isEmpty()) {
                create(management, maxBytes, maxAge.orElse(DEFAULT_MAX_AGE));
                return;
            }
            StreamConfiguration current = existing.get().getConfiguration();
            long wantedBytes = maxBytes.orElse(current.getMaxBytes());
            long held = existing.get().getStreamState().getByteCount();
            if (wantedBytes < held) {
                // shrinking below what it holds would make JetStream drop the oldest hits, written or not
                LOG.warning(() -> "the hit stream holds " + (held >> 20) + " MiB, more than the " + (wantedBytes >> 20)
                        + " MiB asked for; it keeps " + (current.getMaxBytes() >> 20) + " MiB until the writer has trimmed it");
                return;
            }
            Duration wantedAge = maxAge.orElse(current.getMaxAge());
            if (wantedBytes != current.getMaxBytes() || !wantedAge.equals(current.getMaxAge())
                    || current.getDiscardPolicy() != DiscardPolicy.New || !DUPLICATE_WINDOW.equals(current.getDuplicateWindow())) {
                management.updateStream(StreamConfiguration.builder(current).maxBytes(wantedBytes).maxAge(wantedAge)
                        .discardPolicy(DiscardPolicy.New).duplicateWindow(DUPLICATE_WINDOW).build());
                LOG.info(() -> "hit stream limits: " + (wantedBytes >> 20) + " MiB, " + wantedAge);
            }
        } catch (JetStreamApiException e) {
            throw new HitKeepException("cannot set up stream " + Subjects.HIT_STREAM + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new HitKeepException("cannot reach JetStream: " + e.getMessage(), e);
        }
    }

    private static Optional<StreamInfo> info(JetStreamManagement management) throws IOException, JetStreamApiException {
        try {
            return Optional.of(management.getStreamInfo(Subjects.HIT_STREAM));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == 10059) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Creates the stream with the given size, or without one as large as the broker allows: halving from 8 GiB
     * until JetStream has room for it (a broker sized for a small disk refuses a larger reservation).
     */
    private static void create(JetStreamManagement management, Optional<Long> maxBytes, Duration maxAge)
            throws IOException, JetStreamApiException {
        long size = maxBytes.orElse(DEFAULT_MAX_BYTES);
        while (true) {
            try {
                management.addStream(configuration(size, maxAge));
                return;
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() == STREAM_EXISTS) {
                    return; // another role created it meanwhile
                }
                if (e.getApiErrorCode() != INSUFFICIENT_RESOURCES || maxBytes.isPresent() || size <= StorageBudget.SMALLEST_STREAM) {
                    throw e;
                }
                size /= 2;
            }
        }
    }
}
