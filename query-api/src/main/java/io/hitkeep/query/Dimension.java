package io.hitkeep.query;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every dimension of the stats, said once: the name a filter uses ({@code filter=country:DE}), the SQL
 * expression over {@code hits}, the top list it answers ({@code countries}) and how that list is computed.
 * Parsing, the SQL and the JSON answer all read this table; the answer's lists come in its order.
 */
enum Dimension {
    PAGE("page", "path", "pages", ListQuery.TOP),
    /** The first page of each session; not a filter. */
    ENTRY_PAGE("entry_page", "path", "entry_pages", ListQuery.ENTRY, false),
    /** The last page of each session; not a filter. */
    EXIT_PAGE("exit_page", "path", "exit_pages", ListQuery.EXIT, false),
    REFERRER("referrer", "referrer_host", "referrers", ListQuery.TOP),
    SOURCE("source", "source", "sources", ListQuery.TOP),
    UTM_SOURCE("utm_source", "utm_source", "utm_sources", ListQuery.TOP),
    UTM_MEDIUM("utm_medium", "utm_medium", "utm_mediums", ListQuery.TOP),
    UTM_CAMPAIGN("utm_campaign", "utm_campaign", "utm_campaigns", ListQuery.TOP),
    COUNTRY("country", "country", "countries", ListQuery.TOP),
    BROWSER("browser", "browser", "browsers", ListQuery.TOP),
    OS("os", "os", "os", ListQuery.TOP),
    DEVICE("device", "device", "devices", ListQuery.TOP),
    LANGUAGE("language", "language", "languages", ListQuery.TOP),
    /**
     * A version is shown with its family ("Firefox 128", "macOS 10.15"): a bare "128" means nothing. The
     * filter takes the value the list shows, so a dashboard filters by what it was given.
     */
    BROWSER_VERSION("browser_version", "CASE WHEN browser_version = '' THEN '' ELSE browser || ' ' || browser_version END",
            "browser_versions", ListQuery.TOP),
    OS_VERSION("os_version", "CASE WHEN os_version = '' THEN '' ELSE os || ' ' || os_version END", "os_versions", ListQuery.TOP),
    /** Of the referrer: search, social, email, ai, paid, other. */
    MEDIUM("medium", "medium", "mediums", ListQuery.TOP),
    HOSTNAME("hostname", "hostname", "", ListQuery.NONE),
    UTM_TERM("utm_term", "utm_term", "", ListQuery.NONE),
    UTM_CONTENT("utm_content", "utm_content", "", ListQuery.NONE),
    /** Keeps the sessions in which that custom event happened (and, over events, that event). */
    EVENT("event", "name", "", ListQuery.NONE),
    /** Keeps the visitors who reached that goal (by its name) in the range. */
    GOAL("goal", "", "", ListQuery.NONE),
    /**
     * {@code prop:<key>:<value>}: keeps the events with that custom property's value, and the sessions in which
     * such an event happened.
     */
    PROP("prop", "", "", ListQuery.NONE);

    /** How a dimension's top list is computed. */
    enum ListQuery { TOP, ENTRY, EXIT, NONE }

    private final String filterName;
    private final String column;
    private final String listName;
    private final ListQuery listQuery;
    private final boolean filterable;

    Dimension(String filterName, String column, String listName, ListQuery listQuery) {
        this(filterName, column, listName, listQuery, true);
    }

    Dimension(String filterName, String column, String listName, ListQuery listQuery, boolean filterable) {
        this.filterName = filterName;
        this.column = column;
        this.listName = listName;
        this.listQuery = listQuery;
        this.filterable = filterable;
    }

    /** As a filter names it: {@code country}. */
    String filterName() {
        return filterName;
    }

    /** The SQL expression over a row of {@code hits}. */
    String column() {
        return column;
    }

    /** The top list in the answer ({@code countries}); empty for a dimension that is only a filter. */
    Optional<String> listName() {
        return listName.isEmpty() ? Optional.empty() : Optional.of(listName);
    }

    ListQuery listQuery() {
        return listQuery;
    }

    /** The dimension a filter names, if a filter may name it. */
    static Optional<Dimension> filter(String name) {
        return Arrays.stream(values()).filter(dimension -> dimension.filterable && dimension.filterName.equals(name)).findFirst();
    }

    /** The filter names, sorted, for an error message. */
    static String filterNames() {
        return Arrays.stream(values()).filter(dimension -> dimension.filterable).map(Dimension::filterName).sorted()
                .collect(Collectors.joining(", "));
    }

    /**
     * Fills a query's {@code {columns}} (each list's expression, named after its list), {@code {lists}} (those
     * names) and {@code {sets}} (one grouping set of each: {@code (pages), (referrers), ...}) for the lists
     * computed over pageviews by value ({@link ListQuery#TOP}).
     */
    static String withTopLists(String sql) {
        List<Dimension> top = lists().stream().filter(dimension -> dimension.listQuery == ListQuery.TOP).toList();
        return sql.replace("{columns}", top.stream().map(dimension -> dimension.column + " AS " + dimension.listName)
                        .collect(Collectors.joining(", ")))
                .replace("{lists}", top.stream().map(dimension -> dimension.listName).collect(Collectors.joining(", ")))
                .replace("{sets}", top.stream().map(dimension -> "(" + dimension.listName + ")").collect(Collectors.joining(", ")));
    }

    /** The dimensions with a top list, in the answer's order. */
    static List<Dimension> lists() {
        return Arrays.stream(values()).filter(dimension -> dimension.listQuery != ListQuery.NONE).toList();
    }
}
