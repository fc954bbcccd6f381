package io.hitkeep.query;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Fields of an export's CSV as the stats keep them: counts, days, referrer hosts. What cannot be read is
 * refused with the file, line and column ({@link CsvReader#error}). Thread-safe: no state.
 */
final class ExportValues {
    private ExportValues() {
    }

    /** A count: a whole number, not negative. */
    static long count(CsvReader csv, String column, String text) {
        try {
            long value = Long.parseLong(text.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw csv.error("column " + column + ": '" + shortened(text) + "' is not a whole number");
    }

    /** A day as YYYY-MM-DD, in the years the stats take. */
    static String day(CsvReader csv, String column, String text) {
        try {
            LocalDate day = LocalDate.parse(text.strip());
            if (day.getYear() >= 1970 && day.getYear() <= 9999) {
                return day.toString();
            }
        } catch (DateTimeParseException e) {
            // said below
        }
        throw csv.error("column " + column + ": '" + shortened(text) + "' is not a day like 2024-01-31");
    }

    /**
     * The host of a referrer as the hits keep it: lower case, without {@code www.}, scheme, port or path
     * ({@code https://www.Example.com/a} and {@code example.com/a?b} are both {@code example.com}).
     */
    static String host(String referrer) {
        String text = referrer.strip();
        int scheme = text.indexOf("://");
        if (scheme >= 0) {
            text = text.substring(scheme + 3);
        }
        int end = text.length();
        for (char stop : new char[] {'/', '?', '#', ':'}) {
            int at = text.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String host = text.substring(0, end).toLowerCase(Locale.ROOT);
        return host.startsWith("www.") ? host.substring(4) : host;
    }

    /** Plausible's and others' word for an unknown value; the stats leave unknown values out, as empty. */
    static String known(String value) {
        String text = value.strip();
        return text.equals("(not set)") || text.equals("(none)") ? "" : text;
    }

    /** A value short enough for an error message. */
    static String shortened(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
