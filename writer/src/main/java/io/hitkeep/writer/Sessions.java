package io.hitkeep.writer;

import io.hitkeep.core.CompactIds;
import io.hitkeep.core.Hashes;
import io.hitkeep.core.Hit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Assigns each hit its session: the tracker's own session id when it sent one, else the visitor's
 * current session, which ends after 30 minutes without a hit. The writer is the only place that sees
 * every hit in order, so it is the one place that can do this without shared state. Ids are
 * {@link CompactIds#session}: the UTC day the session started, then its hash. A tracker's session that
 * runs past a UTC midnight keeps the id of its first day while it stays active (its id of the day before
 * had a hit within 30 minutes): only such sessions are remembered, not every tracker's session of the day.
 * The visitor's own sessions end at midnight, as its salted id does. Not thread-safe: the batcher thread
 * owns it.
 */
final class Sessions {
    static final long IDLE_MICROS = TimeUnit.MINUTES.toMicros(30);
    private static final long MICROS_PER_DAY = TimeUnit.DAYS.toMicros(1);

    /** Per (site, visitor): the last hit's time and the session id. */
    private final Map<VisitorKey, long[]> open = new HashMap<>();
    /**
     * Per (site, session id) of a tracker's session that may run past a UTC midnight (active in the half hour before
     * one, or since), and of every session of the last 30 minutes after a restart: the last hit's time.
     */
    private final Map<SessionKey, long[]> active = new HashMap<>();
    private long lastSweepMicros;

    private record VisitorKey(int siteId, long visitorId) {
    }

    private record SessionKey(int siteId, long sessionId) {
    }

    long sessionOf(Hit hit) {
        long now = hit.timestampMicros();
        long session = hit.sessionKey().isEmpty() ? visitorSession(hit, now) : trackerSession(hit, now);
        sweep(now);
        return session;
    }

    /** The tracker's session: its id of the day before while that one is still active, else its id of today. */
    private long trackerSession(Hit hit, long now) {
        long hash = Hashes.sha256Long(Integer.toString(hit.siteId()), hit.sessionKey());
        long dayBefore = CompactIds.sessionOfDayBefore(now, hash);
        long[] continued = active.get(new SessionKey(hit.siteId(), dayBefore));
        if (continued != null && now - continued[0] <= IDLE_MICROS) {
            continued[0] = Math.max(continued[0], now);
            return dayBefore;
        }
        long session = CompactIds.session(now, hash);
        // only a session active in the last half hour before a midnight can run past it: the others need no memory
        long[] last = active.get(new SessionKey(hit.siteId(), session));
        if (last != null) {
            last[0] = Math.max(last[0], now);
        } else if (Math.floorMod(now, MICROS_PER_DAY) >= MICROS_PER_DAY - IDLE_MICROS) {
            active.put(new SessionKey(hit.siteId(), session), new long[] {now});
        }
        return session;
    }

    private long visitorSession(Hit hit, long now) {
        VisitorKey key = new VisitorKey(hit.siteId(), hit.visitorId());
        long[] state = open.get(key);
        if (state == null || now - state[0] > IDLE_MICROS) {
            state = new long[] {now, CompactIds.session(now, Hashes.sha256Long(Integer.toString(hit.siteId()),
                    Long.toString(hit.visitorId()), Long.toString(now)))};
            open.put(key, state);
        } else if (now > state[0]) {
            state[0] = now;
        }
        return state[1];
    }

    /** Forgets visitors and sessions idle for longer than a session lasts, at most once a minute. */
    private void sweep(long nowMicros) {
        if (nowMicros - lastSweepMicros < TimeUnit.MINUTES.toMicros(1)) {
            return;
        }
        lastSweepMicros = nowMicros;
        for (Map<?, long[]> states : List.of(open, active)) {
            for (Iterator<long[]> state = states.values().iterator(); state.hasNext(); ) {
                if (nowMicros - state.next()[0] > IDLE_MICROS) {
                    state.remove();
                }
            }
        }
    }

    /** After a restart, sessions still open in the stored hits continue instead of starting anew. */
    void resume(Connection connection) throws SQLException {
        String visitors = """
                SELECT site_id, visitor_id, epoch_us(max(timestamp)), arg_max(session_id, timestamp)
                FROM hits WHERE timestamp > now()::TIMESTAMP - INTERVAL 30 MINUTE
                GROUP BY site_id, visitor_id""";
        String sessions = """
                SELECT site_id, session_id, epoch_us(max(timestamp))
                FROM hits WHERE timestamp > now()::TIMESTAMP - INTERVAL 30 MINUTE
                GROUP BY site_id, session_id""";
        try (var statement = connection.createStatement()) {
            try (var rows = statement.executeQuery(visitors)) {
                while (rows.next()) {
                    open.put(new VisitorKey(rows.getInt(1), rows.getLong(2)), new long[] {rows.getLong(3), rows.getLong(4)});
                }
            }
            try (var rows = statement.executeQuery(sessions)) {
                while (rows.next()) {
                    active.put(new SessionKey(rows.getInt(1), rows.getLong(2)), new long[] {rows.getLong(3)});
                }
            }
        }
    }

    int size() {
        return open.size();
    }

    /** Tracker sessions remembered for a midnight (tests: that the others are not). */
    int remembered() {
        return active.size();
    }
}
