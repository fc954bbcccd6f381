package io.hitkeep.core;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.io.IOException;

/**
 * The JetStream stream of accepted hits. A work queue on file storage: a message stays on disk until the
 * writer has committed it to DuckDB and acknowledged it. When full it refuses new messages (the gateway
 * answers 503) rather than dropping old ones that were promised with a 202.
 */
public final class HitStream {
    /** Room for hits the writer has not taken yet: hours of a large spike, not meant to fill. */
    private static final long MAX_BYTES = 8L << 30;

    private HitStream() {
    }

    /**
     * {@code HITKEEP_STREAM_REPLICAS} (environment or YAML file; the callers do not pass their settings),
     * read when a stream or bucket is created. An existing stream keeps the replicas it was made with.
     */
    static int replicas() {
        return Settings.load(new String[0]).streamReplicas();
    }

    /** Creates the stream if it does not exist; safe to call from every role at start. */
    public static void ensure(JetStreamManagement management) {
        StreamConfiguration configuration = StreamConfiguration.builder()
                .name(Subjects.HIT_STREAM)
                .subjects(Subjects.HITS)
                .storageType(StorageType.File)
                .retentionPolicy(RetentionPolicy.WorkQueue)
                .discardPolicy(DiscardPolicy.New)
                .maxBytes(MAX_BYTES)
                .replicas(replicas())
                .build();
        try {
            management.getStreamInfo(Subjects.HIT_STREAM);
        } catch (JetStreamApiException missing) {
            try {
                management.addStream(configuration);
            } catch (JetStreamApiException e) {
                // another role created it meanwhile
                if (e.getApiErrorCode() != 10058) {
                    throw new HitKeepException("cannot create stream " + Subjects.HIT_STREAM + ": " + e.getMessage(), e);
                }
            } catch (IOException e) {
                throw new HitKeepException("cannot create stream " + Subjects.HIT_STREAM + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new HitKeepException("cannot reach JetStream: " + e.getMessage(), e);
        }
    }
}
