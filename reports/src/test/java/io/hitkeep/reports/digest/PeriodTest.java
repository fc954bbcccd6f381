package io.hitkeep.reports.digest;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which week or month is due when, in a site's local time. */
class PeriodTest {
    private record Case(String name, Period period, String localNow, String from, String to) {
    }

    @Test
    void theLastWholePeriodIsDueFromSevenOClockTheDayAfter() {
        List<Case> cases = List.of(
                new Case("Monday 07:00: the week just ended", Period.WEEK, "2026-05-11T07:00", "2026-05-04", "2026-05-10"),
                new Case("Monday 06:59: still the week before", Period.WEEK, "2026-05-11T06:59", "2026-04-27", "2026-05-03"),
                new Case("Sunday night: the week before", Period.WEEK, "2026-05-10T23:59", "2026-04-27", "2026-05-03"),
                new Case("a week across a year", Period.WEEK, "2026-01-05T12:00", "2025-12-29", "2026-01-04"),
                new Case("the 1st at 07:00: last month", Period.MONTH, "2026-03-01T07:00", "2026-02-01", "2026-02-28"),
                new Case("the 1st at 06:00: the month before", Period.MONTH, "2026-03-01T06:00", "2026-01-01", "2026-01-31"),
                new Case("a leap February", Period.MONTH, "2028-03-15T00:00", "2028-02-01", "2028-02-29"),
                new Case("January: December before", Period.MONTH, "2027-01-20T09:00", "2026-12-01", "2026-12-31"));
        for (Case test : cases) {
            Period.Range due = test.period().lastDue(LocalDateTime.parse(test.localNow()));
            assertEquals(LocalDate.parse(test.from()), due.from(), test.name());
            assertEquals(LocalDate.parse(test.to()), due.to(), test.name());
        }
    }

    @Test
    void aPeriodIsComparedWithTheOneBeforeAndTitledForPeople() {
        Period.Range week = Period.WEEK.containing(LocalDate.parse("2026-05-06"));
        assertEquals(LocalDate.parse("2026-04-27"), week.previous().from());
        assertEquals("Week of 4 May 2026", week.title());
        Period.Range march = Period.MONTH.containing(LocalDate.parse("2026-03-31"));
        assertEquals(LocalDate.parse("2026-02-01"), march.previous().from());
        assertEquals(LocalDate.parse("2026-02-28"), march.previous().to());
        assertEquals("March 2026", march.title());
        assertThrows(io.hitkeep.core.DomainError.class, () -> Period.parse("year"));
    }
}
