package io.hitkeep.query;

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
 * alone, so nothing a user typed reaches it. Immutable.
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

    /** {@code (DATE 'd', TIMESTAMP 'start'), ...} for every day from {@code first} to {@code last}, for an ASOF join. */
    String bounds(LocalDate first, LocalDate last) {
        List<String> rows = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            rows.add("(DATE '" + day + "', TIMESTAMP '" + start(day) + "')");
        }
        return String.join(", ", rows);
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
