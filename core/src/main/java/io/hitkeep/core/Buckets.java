package io.hitkeep.core;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;

import java.io.IOException;
import java.time.Duration;

/** Opens the key-value buckets the roles share, creating them on first use with one configuration. */
public final class Buckets {
    private Buckets() {
    }

    /** Domain to site JSON; written by the writer, watched by gateways. */
    public static KeyValue sites(Connection nats) {
        return open(nats, KeyValueConfiguration.builder().name(Subjects.SITES_BUCKET)
                .storageType(StorageType.File).maxHistoryPerKey(1).replicas(HitStream.replicas()).build());
    }

    /** UTC date to that day's salt; entries expire after two days even if nobody purges them. */
    public static KeyValue salts(Connection nats) {
        return open(nats, KeyValueConfiguration.builder().name(Subjects.SALTS_BUCKET)
                .storageType(StorageType.File).maxHistoryPerKey(1).ttl(Duration.ofDays(2))
                .replicas(HitStream.replicas()).build());
    }

    /**
     * Holder of each lease by name; an entry that is not renewed disappears after {@code ttl} (the bucket's
     * age limit, fixed when it is first created), so a dead holder's lease frees itself.
     */
    public static KeyValue leases(Connection nats, String bucket, Duration ttl) {
        return open(nats, KeyValueConfiguration.builder().name(bucket)
                .storageType(StorageType.File).maxHistoryPerKey(1).ttl(ttl)
                .replicas(HitStream.replicas()).build());
    }

    private static KeyValue open(Connection nats, KeyValueConfiguration configuration) {
        try {
            var management = nats.keyValueManagement();
            if (!management.getBucketNames().contains(configuration.getBucketName())) {
                try {
                    management.create(configuration);
                } catch (JetStreamApiException raced) {
                    // another role created it meanwhile; opening it below tells if it is really there
                }
            }
            return nats.keyValue(configuration.getBucketName());
        } catch (IOException | JetStreamApiException e) {
            throw new HitKeepException("cannot open bucket " + configuration.getBucketName() + ": " + e.getMessage(), e);
        }
    }
}
