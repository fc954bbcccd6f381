package io.hitkeep.gateway;

import io.hitkeep.core.Buckets;
import io.hitkeep.core.HitKeepException;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.logging.Logger;

/**
 * The daily salt of visitor ids, shared by every gateway through the {@code hk_salts} bucket: the first
 * gateway to need a day's salt creates it, the others read it. At the turn of the UTC day the previous
 * day's salt is purged, so yesterday's visitor ids can no longer be recomputed from an IP address and a
 * user agent. Thread-safe.
 */
final class Salts {
    private static final Logger LOG = Logger.getLogger(Salts.class.getName());
    private final KeyValue bucket;
    private final SecureRandom random = new SecureRandom();
    private volatile DailySalt current = new DailySalt(LocalDate.MIN, "");

    /** A UTC day's salt: visitor ids take the day too ({@link io.hitkeep.core.CompactIds#visitor}). */
    record DailySalt(LocalDate date, String salt) {
    }

    Salts(Connection nats) {
        this.bucket = Buckets.salts(nats);
    }

    /** Today's salt (UTC). */
    DailySalt today() {
        LocalDate date = LocalDate.now(ZoneOffset.UTC);
        DailySalt day = current;
        if (day.date.equals(date)) {
            return day;
        }
        return rotate(date);
    }

    private synchronized DailySalt rotate(LocalDate date) {
        if (current.date.equals(date)) {
            return current;
        }
        String key = date.toString();
        try {
            String salt = read(key);
            if (salt.isEmpty()) {
                byte[] fresh = new byte[32];
                random.nextBytes(fresh);
                try {
                    bucket.create(key, HexFormat.of().formatHex(fresh).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                } catch (JetStreamApiException anotherGatewayWasFirst) {
                    // fine: read the one it created
                }
                salt = read(key);
            }
            if (salt.isEmpty()) {
                throw new HitKeepException("the salt for " + key + " could not be created");
            }
            for (String old : bucket.keys()) {
                if (old.compareTo(key) < 0) {
                    bucket.purge(old);
                    LOG.info(() -> "destroyed the visitor-id salt of " + old);
                }
            }
            current = new DailySalt(date, salt);
            return current;
        } catch (IOException | JetStreamApiException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new HitKeepException("cannot read the salt of " + key + ": " + e.getMessage(), e);
        }
    }

    private String read(String key) throws IOException, JetStreamApiException {
        KeyValueEntry entry = bucket.get(key);
        return entry == null || entry.getValue() == null ? "" : entry.getValueAsString();
    }
}
