package io.hitkeep.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A site's local days as the rollups' SQL needs them: where each starts in UTC (DST makes some days 23 or 25
 * hours long, zones such as Asia/Kathmandu start them at a quarter hour), as SQL text made here from dates
 * and zone ids alone, so nothing a user typed reaches it. Immutable.
 */
record LocalDays(ZoneId zone) {
    /** Where {@code day} starts, as a UTC timestamp without zone (how {@code hits.timestamp} is stored). */
    LocalDateTime start(LocalDate day) {
        return day.atStartOfDay(zone).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }

    /** The local days that the UTC hour starting at {@code hour} overlaps: one, or two where a day starts inside it. */
    SortedSet<LocalDate> of(LocalDateTime hour) {
        SortedSet<LocalDate> days = new TreeSet<>();
        days.add(hour.atOffset(ZoneOffset.UTC).atZoneSameInstant(zone).toLocalDate());
        days.add(hour.plusHours(1).minusNanos(1000).atOffset(ZoneOffset.UTC).atZoneSameInstant(zone).toLocalDate());
        return days;
    }

    /**
     * Makes sure this connection's temporary table {@code day_starts} holds where each day from {@code first} to
     * {@code last} starts in this zone, for the rollups' ASOF joins (rollups.sql reads the zone's rows; a row finds its
     * day when the days from before it to after it are there). A table kept with the connection rather than a VALUES
     * list in each statement: binding a year of date literals took most of a fresh day's two statements' time (10 to
     * 15 ms of 20 to 30 each, BENCHMARKS.md), and without the list their text stays the same from one request to the
     * next, so a pooled connection's kept statements serve again. One count when the days are there already.
     */
    void load(Connection connection, LocalDate first, LocalDate last) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE IF NOT EXISTS day_starts (zone VARCHAR, day DATE, start_utc TIMESTAMP)");
        }
        try (PreparedStatement held = connection.prepareStatement("SELECT count(*) FROM day_starts WHERE zone = ? AND day BETWEEN ? AND ?")) {
            held.setString(1, zone.getId());
            held.setObject(2, first);
            held.setObject(3, last);
            try (ResultSet count = held.executeQuery()) {
                count.next();
                if (count.getLong(1) == first.until(last, java.time.temporal.ChronoUnit.DAYS) + 1) {
                    return;
                }
            }
        }
        List<String> rows = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            rows.add("('" + zone.getId() + "', DATE '" + day + "', TIMESTAMP '" + start(day) + "')");
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM day_starts WHERE zone = '" + zone.getId() + "' AND day BETWEEN DATE '" + first + "' AND DATE '" + last + "'");
            statement.execute("INSERT INTO day_starts VALUES " + String.join(", ", rows));
        }
    }

    /** A predicate on {@code timestamp} that keeps the UTC intervals of {@code days}, one per run of consecutive days. */
    String timestampIn(SortedSet<LocalDate> days) {
        return timestampIn(days, false);
    }

    /**
     * As {@link #timestampIn}, and before each run of days the hits that may share visitor ids with its first:
     * ids are salted per UTC day, so those of the day before from the UTC midnight before the run's start (none
     * in UTC, most of the day east of it, a few hours west of it).
     */
    String timestampInReach(SortedSet<LocalDate> days) {
        return timestampIn(days, true);
    }

    private String timestampIn(SortedSet<LocalDate> days, boolean reach) {
        List<String> intervals = new ArrayList<>();
        LocalDate runStart = null;
        LocalDate previous = null;
        for (LocalDate day : days) {
            if (runStart != null && !day.equals(previous.plusDays(1))) {
                intervals.add(interval(runStart, previous, reach));
                runStart = null;
            }
            if (runStart == null) {
                runStart = day;
            }
            previous = day;
        }
        if (runStart != null) {
            intervals.add(interval(runStart, previous, reach));
        }
        return intervals.isEmpty() ? "false" : String.join(" OR ", intervals);
    }

    private String interval(LocalDate first, LocalDate last, boolean reach) {
        LocalDateTime from = reach ? start(first).truncatedTo(java.time.temporal.ChronoUnit.DAYS) : start(first);
        return "(timestamp >= TIMESTAMP '" + from + "' AND timestamp < TIMESTAMP '" + start(last.plusDays(1)) + "')";
    }

    /** {@code DATE 'd', ...}; an impossible date for none, so {@code IN (...)} stays valid SQL. */
    static String list(SortedSet<LocalDate> days) {
        return days.isEmpty() ? "DATE '0001-01-01'" : days.stream().map(day -> "DATE '" + day + "'").collect(Collectors.joining(", "));
    }
}
