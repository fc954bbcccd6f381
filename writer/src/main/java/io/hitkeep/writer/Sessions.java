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
        SessionKey key = new SessionKey(hit.siteId(), session);
        // only a session active in the last half hour before a midnight can run past it: the others need no memory
        if (active.containsKey(key) || Math.floorMod(now, MICROS_PER_DAY) >= MICROS_PER_DAY - IDLE_MICROS) {
            active.merge(key, new long[] {now}, Sessions::later);
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

    /**
     * After a restart, sessions still open in the stored hits continue instead of starting anew: one scan of the
     * last 30 minutes, per site, visitor and session; a visitor continues the session of its latest hit.
     */
    void resume(Connection connection) throws SQLException {
        String recent = """
                SELECT site_id, visitor_id, session_id, epoch_us(max(timestamp))
                FROM hits WHERE timestamp > now()::TIMESTAMP - INTERVAL 30 MINUTE
                GROUP BY site_id, visitor_id, session_id""";
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(recent)) {
            while (rows.next()) {
                int siteId = rows.getInt(1);
                long session = rows.getLong(3);
                long last = rows.getLong(4);
                open.merge(new VisitorKey(siteId, rows.getLong(2)), new long[] {last, session}, Sessions::later);
                // a session past a midnight has two visitor ids, so two rows
                active.merge(new SessionKey(siteId, session), new long[] {last}, Sessions::later);
            }
        }
    }

    /** Of two states, the one with the later last hit ({@code [0]}). */
    private static long[] later(long[] one, long[] other) {
        return one[0] >= other[0] ? one : other;
    }

    int size() {
        return open.size();
    }

    /** Tracker sessions remembered for a midnight (tests: that the others are not). */
    int remembered() {
        return active.size();
    }
}
