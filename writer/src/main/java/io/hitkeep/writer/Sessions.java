package io.hitkeep.writer;

import io.hitkeep.core.Hashes;
import io.hitkeep.core.Hit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Assigns each hit its session: the tracker's own session id when it sent one, else the visitor's
 * current session, which ends after 30 minutes without a hit. The writer is the only place that sees
 * every hit in order, so it is the one place that can do this without shared state. Not thread-safe:
 * the batcher thread owns it.
 */
final class Sessions {
    static final long IDLE_MICROS = TimeUnit.MINUTES.toMicros(30);

    /** Per (site, visitor): the last hit's time and the session id. */
    private final Map<VisitorKey, long[]> open = new HashMap<>();
    private long lastSweepMicros;

    private record VisitorKey(int siteId, long visitorId) {
    }

    long sessionOf(Hit hit) {
        if (!hit.sessionKey().isEmpty()) {
            return Hashes.sha256Long(Integer.toString(hit.siteId()), hit.sessionKey());
        }
        VisitorKey key = new VisitorKey(hit.siteId(), hit.visitorId());
        long[] state = open.get(key);
        long now = hit.timestampMicros();
        if (state == null || now - state[0] > IDLE_MICROS) {
            state = new long[] {now, Hashes.sha256Long(Integer.toString(hit.siteId()), Long.toString(hit.visitorId()),
                    Long.toString(now))};
            open.put(key, state);
        } else if (now > state[0]) {
            state[0] = now;
        }
        sweep(now);
        return state[1];
    }

    /** Forgets visitors idle for longer than a session lasts, at most once a minute. */
    private void sweep(long nowMicros) {
        if (nowMicros - lastSweepMicros < TimeUnit.MINUTES.toMicros(1)) {
            return;
        }
        lastSweepMicros = nowMicros;
        for (Iterator<long[]> states = open.values().iterator(); states.hasNext(); ) {
            if (nowMicros - states.next()[0] > IDLE_MICROS) {
                states.remove();
            }
        }
    }

    /** After a restart, sessions still open in the stored hits continue instead of starting anew. */
    void resume(Connection connection) throws SQLException {
        String sql = """
                SELECT site_id, visitor_id, epoch_us(max(timestamp)), arg_max(session_id, timestamp)
                FROM hits WHERE timestamp > now()::TIMESTAMP - INTERVAL 30 MINUTE
                GROUP BY site_id, visitor_id""";
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                open.put(new VisitorKey(rows.getInt(1), rows.getLong(2)), new long[] {rows.getLong(3), rows.getLong(4)});
            }
        }
    }

    int size() {
        return open.size();
    }
}
