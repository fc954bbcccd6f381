package io.hitkeep.reports.export;

import io.hitkeep.core.DomainError;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;

/**
 * An export as asked for: a site, a range of local days in the site's time zone (at most ten years) and a
 * format. Parsing refuses anything else with a message for the client. Immutable.
 */
public record ExportRequest(int siteId, LocalDate from, LocalDate to, ExportFormat format) {
    static final int MAX_YEARS = 10;

    public static ExportRequest parse(int siteId, Optional<String> from, Optional<String> to, Optional<String> format) {
        LocalDate start = date("from", from);
        LocalDate end = date("to", to);
        if (end.isBefore(start)) {
            throw DomainError.invalid("to must not be before from");
        }
        if (end.isAfter(start.plusYears(MAX_YEARS))) {
            throw DomainError.invalid("the range is longer than " + MAX_YEARS + " years; export it in parts");
        }
        return new ExportRequest(siteId, start, end, ExportFormat.parse(format.orElse("csv")));
    }

    private static LocalDate date(String name, Optional<String> value) {
        String text = value.orElseThrow(() -> DomainError.invalid(name + " is required (YYYY-MM-DD)")).strip();
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            throw DomainError.invalid(name + " must be a date such as 2026-01-31");
        }
    }

    /** The download's file name: {@code hitkeep-site-1-2026-01-01-2026-01-31.csv}. */
    public String fileName() {
        return "hitkeep-site-" + siteId + "-" + from + "-" + to + "." + format.name().toLowerCase(Locale.ROOT);
    }
}
