package io.hitkeep.query;

import io.hitkeep.core.DomainError;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plausible's CSV export: a zip of {@code imported_<table>_YYYYMMDD_YYYYMMDD.csv} files, each a table of
 * per-day rows with a header of column names (ClickHouse's CSVWithNames; the columns as Plausible's
 * {@code Plausible.Exports} writes them and {@code Plausible.Imported.CSVImporter} reads them). Columns are
 * found by name, so older exports (without {@code pageviews} in some tables) and newer ones (with more
 * columns) are read alike. What the stats keep:
 * <ul>
 *   <li>{@code visitors}: each day's visitors, pageviews, visits, bounces and visit duration (required);</li>
 *   <li>{@code pages}, {@code entry_pages} (entrances), {@code exit_pages} (exits): the page lists;</li>
 *   <li>{@code sources}: sources, referrer hosts, UTM sources, mediums and campaigns;</li>
 *   <li>{@code locations}: countries (regions and cities are not kept); {@code devices};
 *       {@code browsers} and {@code operating_systems}, with their versions;</li>
 *   <li>{@code custom_events}: events by name, with their count.</li>
 * </ul>
 * A list's count is its pageviews where the file has them, else its visits. Not thread-safe.
 */
final class PlausibleExport {
    /** {@code imported_pages_20240101_20241231.csv}; Plausible's importer also takes the name without {@code imported_}. */
    private static final Pattern FILE = Pattern.compile("(?:imported_)?([a-z_]+?)(?:_(\\d{8})_(\\d{8}))?\\.csv");

    /** How a row of a table becomes the stats' rows. */
    @FunctionalInterface
    private interface RowReader {
        void read(Row row, ImportChunks rows);
    }

    /** One file of the export: the columns it must have, and how a row becomes the stats' rows. */
    private enum Table {
        VISITORS("visitors", List.of("date", "visitors", "pageviews", "bounces", "visits", "visit_duration"),
                (row, rows) -> rows.add(new Imports.Day(row.day(), row.count("visitors"), row.count("pageviews"),
                        row.count("visits"), row.count("bounces"), row.count("visit_duration")))),
        PAGES("pages", List.of("date", "page", "visitors", "pageviews"), counted("pages", "page", "pageviews")),
        ENTRY_PAGES("entry_pages", List.of("date", "entry_page", "visitors", "entrances"), counted("entry_pages", "entry_page", "entrances")),
        EXIT_PAGES("exit_pages", List.of("date", "exit_page", "visitors", "exits"), counted("exit_pages", "exit_page", "exits")),
        SOURCES("sources", List.of("date", "source", "visitors", "visits"), (row, rows) -> {
            long count = row.pageviewsOrVisits();
            row.list(rows, "sources", row.text("source"), count);
            row.list(rows, "referrers", ExportValues.host(row.optional("referrer")), count);
            row.list(rows, "utm_sources", row.optional("utm_source"), count);
            row.list(rows, "utm_mediums", row.optional("utm_medium"), count);
            row.list(rows, "utm_campaigns", row.optional("utm_campaign"), count);
        }),
        LOCATIONS("locations", List.of("date", "country", "visitors", "visits"),
                (row, rows) -> row.list(rows, "countries", row.text("country").toUpperCase(Locale.ROOT), row.pageviewsOrVisits())),
        DEVICES("devices", List.of("date", "device", "visitors", "visits"), (row, rows) -> {
            // the hits' device types: desktop, mobile, tablet; Plausible's Laptop is a desktop here
            String device = row.text("device").toLowerCase(Locale.ROOT);
            row.list(rows, "devices", device.equals("laptop") ? "desktop" : device, row.pageviewsOrVisits());
        }),
        BROWSERS("browsers", List.of("date", "browser", "visitors", "visits"),
                (row, rows) -> row.withVersion(rows, "browsers", "browser_versions", row.text("browser"), row.optional("browser_version"))),
        OPERATING_SYSTEMS("operating_systems", List.of("date", "operating_system", "visitors", "visits"),
                (row, rows) -> row.withVersion(rows, "os", "os_versions", row.text("operating_system"),
                        row.optional("operating_system_version"))),
        CUSTOM_EVENTS("custom_events", List.of("date", "name", "visitors", "events"), (row, rows) -> {
            String name = row.text("name");
            // Plausible's own bookkeeping events are not custom events
            if (!name.equals("pageview") && !name.equals("engagement")) {
                row.list(rows, "events", name, row.count("events"));
            }
        });

        private final String name;
        private final List<String> required;
        private final RowReader reader;

        Table(String name, List<String> required, RowReader reader) {
            this.name = name;
            this.required = required;
            this.reader = reader;
        }

        static Optional<Table> named(String name) {
            for (Table table : values()) {
                if (table.name.equals(name)) {
                    return Optional.of(table);
                }
            }
            return Optional.empty();
        }
    }

    /** A table that is one list: its value column and its count column. */
    private static RowReader counted(String list, String valueColumn, String countColumn) {
        return (row, rows) -> row.list(rows, list, row.text(valueColumn), row.count(countColumn));
    }

    private final ImportChunks rows;
    private boolean sawVisitors;

    PlausibleExport(ImportChunks rows) {
        this.rows = rows;
    }

    /** Reads one file of the export (an {@link ExportArchive.FileReader}). */
    void read(String file, Reader text) throws IOException {
        Matcher name = FILE.matcher(file);
        Table table = name.matches() ? Table.named(name.group(1)).orElse(null) : null;
        if (table == null) {
            throw DomainError.invalid(file + " is not a file of a Plausible export (imported_visitors_YYYYMMDD_YYYYMMDD.csv,"
                    + " imported_pages_..., and so on)");
        }
        CsvReader csv = new CsvReader(text, file);
        List<String> header = csv.next().orElseThrow(() -> DomainError.invalid(file + " is empty: it has no header"));
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            // a byte order mark before the first name, as spreadsheets save it
            columns.put(header.get(i).replace("\uFEFF", "").strip(), i);
        }
        List<String> missing = new ArrayList<>(table.required.stream().filter(column -> !columns.containsKey(column)).toList());
        if (!missing.isEmpty()) {
            throw csv.error("the header lacks the column" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " (it has " + ExportValues.shortened(String.join(",", header)) + ")");
        }
        for (Optional<List<String>> fields = csv.next(); fields.isPresent(); fields = csv.next()) {
            if (fields.get().size() != header.size()) {
                throw csv.error(fields.get().size() + " fields where the header has " + header.size());
            }
            Row row = new Row(csv, columns, fields.get());
            row.check();
            table.reader.read(row, rows);
        }
        sawVisitors |= table == Table.VISITORS;
    }

    /** After the last file: an export without the visitors table has no totals to add. */
    void finish() {
        if (!sawVisitors) {
            throw DomainError.invalid("the zip has no imported_visitors_*.csv: it is not a whole Plausible export");
        }
    }

    /** The columns that hold counts, in any table that has them. */
    private static final List<String> COUNTS = List.of("visitors", "pageviews", "bounces", "visits", "visit_duration",
            "entrances", "exits", "events");

    /** One row of a table, its fields by column name. */
    private record Row(CsvReader csv, Map<String, Integer> columns, List<String> fields) {
        /** Refuses a row whose day or counts cannot be read, whatever the stats keep of it. */
        void check() {
            day();
            for (String column : COUNTS) {
                if (columns.containsKey(column)) {
                    count(column);
                }
            }
        }

        String text(String column) {
            return ExportValues.known(fields.get(columns.get(column)));
        }

        /** A column that older exports lack: empty there. */
        String optional(String column) {
            return columns.containsKey(column) ? text(column) : "";
        }

        long count(String column) {
            return ExportValues.count(csv, column, fields.get(columns.get(column)));
        }

        String day() {
            return ExportValues.day(csv, "date", fields.get(columns.get("date")));
        }

        long pageviewsOrVisits() {
            return columns.containsKey("pageviews") ? count("pageviews") : count("visits");
        }

        void list(ImportChunks rows, String list, String value, long count) {
            if (!value.isEmpty()) {
                rows.add(new Imports.ListRow(day(), list, value, count("visitors"), count));
            }
        }

        /** A browser or system, and the same with its version as the stats show it ("Firefox 128"). */
        void withVersion(ImportChunks rows, String list, String versionList, String name, String version) {
            long count = pageviewsOrVisits();
            list(rows, list, name, count);
            if (!name.isEmpty() && !version.isEmpty()) {
                list(rows, versionList, name + " " + version, count);
            }
        }
    }
}
