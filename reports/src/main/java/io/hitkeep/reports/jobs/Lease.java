package io.hitkeep.reports.jobs;

import io.hitkeep.core.Buckets;
import io.hitkeep.core.HitKeepException;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Who of several instances does a deployment's scheduled work: an entry in a NATS key-value bucket whose
 * age limit is the lease's time to live. The holder creates the entry (which fails while another holds
 * it) and renews it by updating it at the revision it last wrote, every third of the TTL; an entry not
 * renewed ages out, so a holder that died frees the lease after at most one TTL. A holder trusts its
 * lease only until a fifth of the TTL before the entry could have aged out since its last successful write,
 * so a holder cut off from the broker stops before anyone else can start. Closing deletes the entry (at
 * its revision, never another holder's), so a successor takes over at once.
 *
 * <p>Used by one thread (the scheduler's), except {@link #held()} and {@link #holder()}, which any thread reads.
 */
public final class Lease implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Lease.class.getName());

    private final KeyValue bucket;
    private final String key;
    private final Duration ttl;
    private final String holder;
    /** The revision of our entry; 0 while we hold nothing. */
    private volatile long revision;
    private long lastAttemptNanos;
    private volatile long trustedUntilNanos;

    /**
     * @param bucketName the key-value bucket (created with {@code ttl} as its age limit when missing)
     * @param name       the lease, e.g. {@code reports-scheduler}
     * @param holder     this instance's name in logs and in the entry
     */
    public Lease(Connection nats, String bucketName, String name, Duration ttl, String holder) {
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new HitKeepException("a lease lives at least 1s: " + ttl);
        }
        this.bucket = Buckets.leases(nats, bucketName, ttl);
        this.key = name;
        this.ttl = ttl;
        this.holder = holder + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.lastAttemptNanos = System.nanoTime() - ttl.toNanos();
    }

    /**
     * Creates or renews the lease when it is time to (every third of the TTL; at once while not held):
     * answers whether this instance holds it now.
     */
    public boolean maintain() {
        long now = System.nanoTime();
        boolean holding = held();
        if (holding && now - lastAttemptNanos < ttl.toNanos() / 3) {
            return true;
        }
        if (!holding && now - lastAttemptNanos < Math.min(ttl.toNanos() / 3, Duration.ofSeconds(1).toNanos())) {
            return false;
        }
        lastAttemptNanos = now;
        byte[] value = holder.getBytes(StandardCharsets.UTF_8);
        try {
            boolean wasHolding = revision != 0;
            revision = revision != 0 ? bucket.update(key, value, revision) : bucket.create(key, value);
            trustedUntilNanos = now + ttl.toNanos() - ttl.toNanos() / 5;
            if (!wasHolding) {
                LOG.info(() -> "took the lease '" + key + "' as " + holder);
            }
            return true;
        } catch (JetStreamApiException taken) {
            // another holder's entry is there (create), or ours aged out and someone else's replaced it (update)
            if (revision != 0) {
                LOG.warning(() -> "lost the lease '" + key + "': " + taken.getMessage());
            }
            revision = 0;
            return false;
        } catch (IOException | RuntimeException unreachable) {
            // the broker does not answer: keep what we have until it could have expired
            LOG.fine(() -> "cannot reach the lease bucket: " + unreachable);
            return held();
        }
    }

    /** Whether this instance holds the lease now (its last write is recent enough to be trusted). */
    public boolean held() {
        return revision != 0 && System.nanoTime() - trustedUntilNanos < 0;
    }

    /** This instance's name as the lease entry carries it. */
    public String holder() {
        return holder;
    }

    /** Gives the lease up, so another instance takes it at once instead of after the TTL. */
    @Override
    public void close() {
        if (revision == 0) {
            return;
        }
        try {
            bucket.delete(key, revision);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            // it ages out by itself
        }
        revision = 0;
    }
}
