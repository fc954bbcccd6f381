package io.hitkeep.query;

import io.hitkeep.core.DomainError;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code GET /api/sites/{id}/stats} asks of the writer: the site, a range of whole days in the
 * site's time zone (both ends included), dimension filters, the length of the top lists, and which
 * {@link #PARTS} of the answer are wanted (empty: all). Immutable; parsed and validated here so the HTTP
 * face and the writer agree on what is valid.
 */
public record StatsRequest(int siteId, String from, String to, List<Filter> filters, int limit, List<String> parts,
                           boolean excludeImported) {
    /**
     * Parts of an answer ({@code parts=summary,chart}): a dashboard asks for the numbers on its cards and
     * chart first, and for a comparison period needs nothing else, so it need not wait for every list.
     */
    public static final List<String> PARTS = List.of("summary", "chart", "lists", "events", "goals");
    public static final int MAX_DAYS = 3 * 366;

    /** {@code filter=country:DE}: a {@link Dimension}'s filter name and the value to keep. */
    public record Filter(String dimension, String value) {
        Dimension of() {
            return Dimension.filter(dimension).orElseThrow(() -> DomainError.invalid("unknown filter dimension '" + dimension + "'"));
        }
    }

    public StatsRequest {
        parts = parts == null ? List.of() : List.copyOf(parts);
        filters = filters == null ? List.of() : List.copyOf(filters);
    }

    /** With imported data ({@link ImportedStats}). */
    public StatsRequest(int siteId, String from, String to, List<Filter> filters, int limit, List<String> parts) {
        this(siteId, from, to, filters, limit, parts, false);
    }

    /** {@code imported=include} (the default) or {@code imported=exclude}: whether imported data is added. */
    public StatsRequest withImported(Optional<String> imported) {
        boolean exclude = switch (imported.orElse("include")) {
            case "include" -> false;
            case "exclude" -> true;
            default -> throw DomainError.invalid("imported must be include or exclude");
        };
        return new StatsRequest(siteId, from, to, filters, limit, parts, exclude);
    }

    /** Every part. */
    public StatsRequest(int siteId, String from, String to, List<Filter> filters, int limit) {
        this(siteId, from, to, filters, limit, List.of());
    }

    /** The same question about another site (a share link's). */
    public StatsRequest forSite(int otherSiteId) {
        return new StatsRequest(otherSiteId, from, to, filters, limit, parts, excludeImported);
    }

    /** Whether the answer should carry this part. */
    public boolean wants(String part) {
        return parts.isEmpty() || parts.contains(part);
    }

    /** Validates the query parameters, raising a 400 {@link DomainError} that says what is wrong. */
    public static StatsRequest parse(int siteId, Optional<String> from, Optional<String> to,
                                     List<String> filters, Optional<String> limit) {
        return parse(siteId, from, to, filters, limit, List.of());
    }

    /** With {@code parts}: each a comma-separated list of {@link #PARTS}. */
    public static StatsRequest parse(int siteId, Optional<String> from, Optional<String> to,
                                     List<String> filters, Optional<String> limit, List<String> parts) {
        List<String> wanted = new ArrayList<>();
        for (String list : parts) {
            for (String part : list.split(",")) {
                String name = part.strip();
                if (name.isEmpty()) {
                    continue;
                }
                if (!PARTS.contains(name)) {
                    throw DomainError.invalid("unknown part '" + name + "'; known: " + String.join(", ", PARTS));
                }
                wanted.add(name);
            }
        }
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        LocalDate fromDate = date("from", from.orElse(today.toString()));
        LocalDate toDate = date("to", to.orElse(fromDate.toString()));
        if (toDate.isBefore(fromDate)) {
            throw DomainError.invalid("'to' is before 'from'");
        }
        if (ChronoUnit.DAYS.between(fromDate, toDate) > MAX_DAYS) {
            throw DomainError.invalid("the range is longer than " + MAX_DAYS + " days");
        }
        List<Filter> parsed = new ArrayList<>();
        for (String filter : filters) {
            int colon = filter.indexOf(':');
            if (colon <= 0) {
                throw DomainError.invalid("filter '" + filter + "' must look like dimension:value");
            }
            String dimension = filter.substring(0, colon);
            if (Dimension.filter(dimension).isEmpty()) {
                throw DomainError.invalid("unknown filter dimension '" + dimension + "'; known: " + Dimension.filterNames());
            }
            parsed.add(new Filter(dimension, filter.substring(colon + 1)));
        }
        int top;
        try {
            top = Integer.parseInt(limit.orElse("10"));
        } catch (NumberFormatException e) {
            throw DomainError.invalid("limit must be a whole number");
        }
        if (top < 1 || top > 1000) {
            throw DomainError.invalid("limit must be between 1 and 1000");
        }
        return new StatsRequest(siteId, fromDate.toString(), toDate.toString(), List.copyOf(parsed), top, wanted);
    }

    private static LocalDate date(String name, String text) {
        LocalDate date;
        try {
            date = LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw DomainError.invalid("'" + name + "' must be a date like 2025-01-31");
        }
        // ISO dates reach year +999999999, where the day after and the time zone arithmetic of the stats overflow
        if (date.getYear() < 1970 || date.getYear() > 9999) {
            throw DomainError.invalid("'" + name + "' must be a date between 1970-01-01 and 9999-12-31");
        }
        return date;
    }
}
