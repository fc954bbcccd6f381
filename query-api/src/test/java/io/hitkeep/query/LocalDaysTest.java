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
