package io.hitkeep.query;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A connection's day starts ({@link LocalDays#load}) serve one range after another and several zones: each zone's
 * rows are its days once each (a day twice would count its hits twice in the ASOF join), with the starts of that
 * zone, DST days included.
 */
class LocalDaysTest {
    @Test
    void dayStartsGrowWithTheRangesAskedAndKeepEachZoneApart() throws SQLException {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        ZoneId kathmandu = ZoneId.of("Asia/Kathmandu");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
            new LocalDays(berlin).load(connection, LocalDate.parse("2026-03-27"), LocalDate.parse("2026-03-30"));
            new LocalDays(kathmandu).load(connection, LocalDate.parse("2026-03-28"), LocalDate.parse("2026-03-29"));
            // overlapping the days held, then within them (nothing to add)
            new LocalDays(berlin).load(connection, LocalDate.parse("2026-03-25"), LocalDate.parse("2026-03-28"));
            new LocalDays(berlin).load(connection, LocalDate.parse("2026-03-26"), LocalDate.parse("2026-03-29"));

            assertEquals(List.of("2026-03-25 2026-03-24T23:00", "2026-03-26 2026-03-25T23:00", "2026-03-27 2026-03-26T23:00",
                    "2026-03-28 2026-03-27T23:00", "2026-03-29 2026-03-28T23:00", "2026-03-30 2026-03-29T22:00"), starts(connection, berlin));
            assertEquals(List.of("2026-03-28 2026-03-27T18:15", "2026-03-29 2026-03-28T18:15"), starts(connection, kathmandu));
        }
    }

    /**
     * The values' CASE for a few days ({@link LocalDays#dayOf}) gives every row in their reach the day the ASOF join
     * gives it: a row every 5 minutes, in zones with DST (on its change days), with a quarter-hour offset, far east and
     * west of UTC, for a day alone, two runs of days, and a run at a year's end.
     */
    @Test
    void aFewDaysCaseGivesEachRowTheDayTheJoinGives() throws SQLException {
        List<List<LocalDate>> dayRuns = List.of(
                List.of(LocalDate.parse("2026-03-29")),
                List.of(LocalDate.parse("2026-10-25"), LocalDate.parse("2026-10-26")),
                List.of(LocalDate.parse("2026-03-08"), LocalDate.parse("2026-03-09"), LocalDate.parse("2026-03-12")),
                List.of(LocalDate.parse("2026-12-31"), LocalDate.parse("2027-01-01"), LocalDate.parse("2027-04-05")));
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE hits AS SELECT range AS timestamp FROM range(TIMESTAMP '2026-01-01', TIMESTAMP '2027-05-01', INTERVAL 5 MINUTE)");
            for (String id : List.of("Europe/Berlin", "America/New_York", "Asia/Kathmandu", "Pacific/Kiritimati", "Pacific/Pago_Pago",
                    "America/St_Johns", "Australia/Lord_Howe", "UTC")) {
                LocalDays zone = new LocalDays(ZoneId.of(id));
                zone.load(connection, LocalDate.parse("2025-12-25"), LocalDate.parse("2027-04-10"));
                for (List<LocalDate> run : dayRuns) {
                    java.util.SortedSet<LocalDate> days = new java.util.TreeSet<>(run);
                    LocalDays.DayOf dayOf = zone.dayOf(days);
                    assertEquals("", dayOf.join(), "a CASE for " + days.size() + " days");
                    String rows = " FROM hits h WHERE " + zone.timestampInReach(days);
                    String joined = "SELECT h.timestamp, b.day FROM hits h ASOF JOIN (SELECT day, start_utc FROM day_starts WHERE zone = '"
                            + id + "') b ON h.timestamp >= b.start_utc WHERE " + zone.timestampInReach(days);
                    try (ResultSet differ = statement.executeQuery("SELECT count(*), (SELECT count(*)" + rows + ") FROM (("
                            + "SELECT h.timestamp, " + dayOf.expression() + rows + ") EXCEPT ALL (" + joined + "))")) {
                        differ.next();
                        assertEquals(0, differ.getLong(1), id + " " + days + ": rows whose day differs from the join's");
                        assertEquals(true, differ.getLong(2) > 250 * days.size(), id + " " + days + ": rows compared");
                    }
                }
            }
        }
        java.util.SortedSet<LocalDate> many = new java.util.TreeSet<>(LocalDate.parse("2026-01-01").datesUntil(LocalDate.parse("2026-01-15")).toList());
        assertEquals("ASOF JOIN bounds b ON h.timestamp >= b.start_utc", new LocalDays(ZoneId.of("UTC")).dayOf(many).join());
    }

    private static List<String> starts(Connection connection, ZoneId zone) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(
                "SELECT day, start_utc FROM day_starts WHERE zone = '" + zone.getId() + "' ORDER BY day, start_utc")) {
            while (row.next()) {
                rows.add(row.getObject(1, LocalDate.class) + " " + row.getObject(2, LocalDateTime.class));
            }
        }
        return rows;
    }
}
