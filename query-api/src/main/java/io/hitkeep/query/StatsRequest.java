package io.hitkeep.query;

import io.hitkeep.core.DomainError;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code GET /api/sites/{id}/stats} asks of the writer: the site, a range of whole days in the
 * site's time zone (both ends included), dimension filters, the length of the top lists, which
 * {@link #PARTS} of the answer are wanted (empty: all), and the custom property the events and goals are
 * broken down by ({@code breakdown=prop:<key>}; empty: none). Immutable; parsed and validated here so the
 * HTTP face and the writer agree on what is valid.
 */
public record StatsRequest(int siteId, String from, String to, List<Filter> filters, int limit, List<String> parts,
                           String breakdownProperty, boolean excludeImported) {
    /**
     * Parts of an answer ({@code parts=summary,chart}): a dashboard asks for the numbers on its cards and
     * chart first, and for a comparison period needs nothing else, so it need not wait for every list.
     */
    public static final List<String> PARTS = List.of("summary", "chart", "lists", "events", "goals");
    public static final int MAX_DAYS = 3 * 366;

    /** The prefix of a custom property in a filter and a breakdown: {@code filter=prop:plan:pro}, {@code breakdown=prop:plan}. */
    public static final String PROPERTY = "prop:";

    /**
     * {@code filter=country:DE}: a {@link Dimension}'s filter name and the value to keep. A custom property's
     * value is its key and value ({@code filter=prop:plan:pro} has the value {@code plan:pro}).
     */
    public record Filter(String dimension, String value) {
        Dimension of() {
            return Dimension.filter(dimension).orElseThrow(() -> DomainError.invalid("unknown filter dimension '" + dimension + "'"));
        }

        /** A property filter's key: the value up to its first colon. */
        String propertyKey() {
            return value.substring(0, value.indexOf(':'));
        }

        /** A property filter's value: the rest after the key's colon. */
        String propertyValue() {
            return value.substring(value.indexOf(':') + 1);
        }
    }

    public StatsRequest {
        parts = parts == null ? List.of() : List.copyOf(parts);
        filters = filters == null ? List.of() : List.copyOf(filters);
        breakdownProperty = breakdownProperty == null ? "" : breakdownProperty;
    }

    /** Without a breakdown. */
    public StatsRequest(int siteId, String from, String to, List<Filter> filters, int limit, List<String> parts) {
        this(siteId, from, to, filters, limit, parts, "");
    }

    /** With a breakdown, and imported data ({@link ImportedStats}). */
    public StatsRequest(int siteId, String from, String to, List<Filter> filters, int limit, List<String> parts,
                        String breakdownProperty) {
        this(siteId, from, to, filters, limit, parts, breakdownProperty, false);
    }

    /** {@code imported=include} (the default) or {@code imported=exclude}: whether imported data is added. */
    public StatsRequest withImported(Optional<String> imported) {
        boolean exclude = switch (imported.orElse("include")) {
            case "include" -> false;
            case "exclude" -> true;
            default -> throw DomainError.invalid("imported must be include or exclude");
        };
        return new StatsRequest(siteId, from, to, filters, limit, parts, breakdownProperty, exclude);
    }

    /** Every part. */
    public StatsRequest(int siteId, String from, String to, List<Filter> filters, int limit) {
        this(siteId, from, to, filters, limit, List.of());
    }

    /** The same question about another site (a share link's). */
    public StatsRequest forSite(int otherSiteId) {
        return new StatsRequest(otherSiteId, from, to, filters, limit, parts, breakdownProperty, excludeImported);
    }

    /**
     * The same question with the events and goals broken down by a custom property: {@code prop:<key>}, or
     * nothing for none.
     */
    public StatsRequest withBreakdown(Optional<String> breakdown) {
        String spec = breakdown.map(String::strip).orElse("");
        if (spec.isEmpty()) {
            return this;
        }
        String key = spec.startsWith(PROPERTY) ? spec.substring(PROPERTY.length()).strip() : "";
        if (key.isEmpty() || key.length() > 256) {
            throw DomainError.invalid("breakdown must be prop:<key>, a custom property's key");
        }
        return new StatsRequest(siteId, from, to, filters, limit, parts, key, excludeImported);
    }

    /** The first instant of the range, the site's midnight of {@code from}, in UTC as the tables keep time. */
    public LocalDateTime start(ZoneId zone) {
        return LocalDate.parse(from).atStartOfDay(zone).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }

    /** The instant after the range, the site's midnight after {@code to}, in UTC. */
    public LocalDateTime end(ZoneId zone) {
        return LocalDate.parse(to).plusDays(1).atStartOfDay(zone).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
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
            if (filter.startsWith(PROPERTY) && filter.indexOf(':', PROPERTY.length()) <= PROPERTY.length()) {
                throw DomainError.invalid("filter '" + filter + "' must look like prop:<key>:<value>");
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
