package io.hitkeep.reports.digest;

import io.hitkeep.core.DomainError;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * What a digest covers: a week (Monday to Sunday) or a calendar month, in the site's time zone. Immutable.
 */
public enum Period {
    WEEK("week", "weekly"), MONTH("month", "monthly");

    /**
     * A period is mailed from this local time of the day after it ended: late hits have arrived, and a
     * digest in the morning is read.
     */
    static final int SEND_FROM_HOUR = 7;

    private final String label;
    private final String adjective;

    Period(String label, String adjective) {
        this.label = label;
        this.adjective = adjective;
    }

    /** {@code week} or {@code month}, as the API and the unsubscribe link name it. */
    public String label() {
        return label;
    }

    /** {@code weekly} or {@code monthly}. */
    public String adjective() {
        return adjective;
    }

    public static Period parse(String label) {
        for (Period period : values()) {
            if (period.label.equals(label)) {
                return period;
            }
        }
        throw DomainError.invalid("period must be \"week\" or \"month\"");
    }

    /** One stretch of days, both ends included. */
    public record Range(Period period, LocalDate from, LocalDate to) {
        /** The stretch just before, of the same kind: what a digest compares with. */
        public Range previous() {
            return period.containing(from.minusDays(1));
        }

        /** "Week of 4 May 2026" or "April 2026". */
        public String title() {
            return period == WEEK
                    ? "Week of " + from.getDayOfMonth() + " " + from.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + from.getYear()
                    : from.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + from.getYear();
        }
    }

    /** The period that contains {@code day}. */
    public Range containing(LocalDate day) {
        return this == WEEK
                ? new Range(this, day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)),
                day.with(TemporalAdjusters.nextOrSame(DayOfWeek.SUNDAY)))
                : new Range(this, day.withDayOfMonth(1), day.with(TemporalAdjusters.lastDayOfMonth()));
    }

    /**
     * The last whole period that is due at the site's local time {@code now}: the one that ended before
     * today, once it is {@link #SEND_FROM_HOUR} o'clock; before that hour, the one before it.
     */
    public Range lastDue(LocalDateTime now) {
        LocalDate reference = now.minusHours(SEND_FROM_HOUR).toLocalDate();
        return containing(reference).previous();
    }
}
