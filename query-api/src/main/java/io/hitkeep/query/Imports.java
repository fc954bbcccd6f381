package io.hitkeep.query;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.hitkeep.auth.Access;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Scope;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.Sql;
import io.hitkeep.writer.SqlFile;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Imports of another tool's export into a site, as the writer keeps them: an import is begun (loading),
 * its rows arrive in chunks ({@link #APPEND}, each small enough for one NATS message), and it is finished
 * in one transaction that makes it count ({@link #FINISH}); until then the stats do not see it, and an
 * import that fails or is abandoned is deleted with its rows. The query role parses the upload
 * ({@link ImportUpload}); admins import and delete, members list. Thread-safe.
 */
final class Imports {
    public static final StoreOperation<NewImport, Begun> BEGIN = StoreOperation.of("imports.begin", NewImport.class, Begun.class);
    public static final StoreOperation<Chunk, Stored> APPEND = StoreOperation.of("imports.append", Chunk.class, Stored.class);
    public static final StoreOperation<ImportRef, Finished> FINISH = StoreOperation.of("imports.finish", ImportRef.class, Finished.class);
    public static final StoreOperation<Sites.SiteRef, ImportList> LIST =
            StoreOperation.of("imports.list", Sites.SiteRef.class, ImportList.class);
    public static final StoreOperation<ImportRef, Deleted> DELETE = StoreOperation.of("imports.delete", ImportRef.class, Deleted.class);

    private static final Logger LOG = Logger.getLogger(Imports.class.getName());

    /** The tools whose exports are read. */
    enum Source {
        PLAUSIBLE, GOATCOUNTER;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Source parse(String label) {
            for (Source source : values()) {
                if (source.label().equals(label)) {
                    return source;
                }
            }
            throw DomainError.invalid("source must be plausible or goatcounter");
        }
    }

    public record NewImport(Scope scope, int siteId, String source, String fileName) {
    }

    public record ImportRef(Scope scope, int siteId, int importId) {
    }

    /** Rows of one import; any of the three lists may be empty. */
    public record Chunk(Scope scope, int siteId, int importId, List<Day> days, List<ListRow> lists, List<Pageview> pageviews) {
        public Chunk {
            days = days == null ? List.of() : List.copyOf(days);
            lists = lists == null ? List.of() : List.copyOf(lists);
            pageviews = pageviews == null ? List.of() : List.copyOf(pageviews);
        }

        int size() {
            return days.size() + lists.size() + pageviews.size();
        }
    }

    /** A day's totals ({@code day} as YYYY-MM-DD); sent as an array to keep chunks small. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"day", "visitors", "pageviews", "visits", "bounces", "visit_duration"})
    public record Day(String day, long visitors, long pageviews, long visits, long bounces, long visitDuration) {
    }

    /** A value of one of the day's top lists ({@code list}: the stats answer's name, e.g. {@code pages}). */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"day", "list", "value", "visitors", "pageviews"})
    public record ListRow(String day, String list, String value, long visitors, long pageviews) {
    }

    /** One pageview or event of an export that has them (GoatCounter), summed into days when finished. */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"timestamp_micros", "session", "path", "event", "referrer_host", "source", "utm_source", "country",
            "browser", "browser_version", "os", "os_version", "device"})
    public record Pageview(long timestampMicros, String session, String path, boolean event, String referrerHost, String source,
                           String utmSource, String country, String browser, String browserVersion, String os, String osVersion,
                           String device) {
    }

    /** A loading import, to send its rows to. */
    public record Begun(int id) {
    }

    /** The rows of a chunk stored. */
    public record Stored(int rows) {
    }

    /**
     * A finished import: its days ({@code from} and {@code to} as YYYY-MM-DD, {@code days} of them) and pageviews,
     * and {@code tracked_days}, the days of its range that have tracked pageviews too.
     */
    public record Finished(int id, String source, String from, String to, long pageviews, long days, long trackedDays) {
    }

    /** An import as the list shows it; {@code from} and {@code to} are null while it loads. */
    public record Import(int id, String source, String fileName, String status, long pageviews, String createdAt, String from,
                         String to) {
    }

    public record ImportList(List<Import> imports) {
        public ImportList {
            imports = imports == null ? List.of() : List.copyOf(imports);
        }
    }

    /** The days and pageviews a finished import holds, as {@code import-range} reads them. */
    private record Range(long days, String from, String to, long pageviews) {
    }

    /** The top lists an import may fill: the stats answer's lists, and its events. */
    static final Set<String> LISTS = Stream.concat(Dimension.lists().stream().map(dimension -> dimension.listName().orElseThrow()),
            Stream.of("events")).collect(Collectors.toUnmodifiableSet());
    /** Rows a chunk may carry: the query role sends far fewer (a chunk is a NATS message of a few hundred KB). */
    static final int MAX_CHUNK_ROWS = 50_000;

    /** The statements of {@code sql/imports.sql}, each named there like its constant, in lower case with dashes. */
    private enum Query implements SqlFile.Named {
        INSERT_IMPORT, TOUCH_LOADING_IMPORT, ABANDONED_IMPORTS, IMPORT_OF_SITE, IMPORTS_OF_SITE, DELETE_DAYS_OF_IMPORT,
        DELETE_LISTS_OF_IMPORT, DELETE_PAGEVIEWS_OF_IMPORT, DELETE_IMPORT, GOATCOUNTER_DAYS, GOATCOUNTER_LISTS, IMPORT_RANGE,
        OVERLAPPING_IMPORT, TRACKED_DAYS_IN_RANGE, MARK_IMPORT_DONE;

        @Override
        public String file() {
            return "sql/imports.sql";
        }
    }

    private static final List<Query> DELETE_IN_ORDER = List.of(Query.DELETE_DAYS_OF_IMPORT, Query.DELETE_LISTS_OF_IMPORT,
            Query.DELETE_PAGEVIEWS_OF_IMPORT, Query.DELETE_IMPORT);

    private final Database database;
    private final Sites sites;

    Imports(Database database, Sites sites) {
        this.database = database;
        this.sites = sites;
    }

    /** Starts an import: checks the caller may import into the site, and first clears abandoned ones. */
    Begun begin(NewImport start) {
        sites.get(start.scope(), start.siteId(), Access.Action.MANAGE_IMPORTS);
        Source source = Source.parse(start.source());
        deleteAbandoned();
        String fileName = start.fileName() == null ? "" : start.fileName().strip();
        long id = database.write("begin import", sql -> sql.number(Query.INSERT_IMPORT, "site_id", start.siteId(),
                "source", source.label(), "file_name", fileName.length() > 200 ? fileName.substring(0, 200) : fileName,
                "user_id", start.scope().userId()));
        return new Begun((int) id);
    }

    /** Stores a chunk of a loading import's rows, in one transaction. */
    Stored append(Chunk chunk) {
        sites.get(chunk.scope(), chunk.siteId(), Access.Action.MANAGE_IMPORTS);
        if (chunk.size() > MAX_CHUNK_ROWS) {
            throw DomainError.invalid("a chunk holds at most " + MAX_CHUNK_ROWS + " rows");
        }
        chunk.lists().forEach(row -> {
            if (!LISTS.contains(row.list())) {
                throw DomainError.invalid("no top list named " + row.list());
            }
        });
        return database.write("store imported rows", sql -> {
            // the first statement begins the transaction; the Appenders' rows join it
            sql.first(Query.TOUCH_LOADING_IMPORT, row -> row.getInt(1), "import_id", chunk.importId(), "site_id", chunk.siteId())
                    .orElseThrow(() -> DomainError.notFound("no such import in progress"));
            DuckDBConnection connection = sql.connection().unwrap(DuckDBConnection.class);
            appendDays(connection, chunk);
            appendLists(connection, chunk);
            appendPageviews(connection, chunk);
            return new Stored(chunk.size());
        });
    }

    private static void appendDays(DuckDBConnection connection, Chunk chunk) throws SQLException {
        if (chunk.days().isEmpty()) {
            return;
        }
        try (DuckDBAppender days = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "imported_days")) {
            for (Day day : chunk.days()) {
                days.beginRow();
                days.append(chunk.importId());
                days.append(day(day.day()));
                days.append(day.visitors());
                days.append(day.pageviews());
                days.append(day.visits());
                days.append(day.bounces());
                days.append(day.visitDuration());
                days.endRow();
            }
        }
    }

    private static void appendLists(DuckDBConnection connection, Chunk chunk) throws SQLException {
        if (chunk.lists().isEmpty()) {
            return;
        }
        try (DuckDBAppender lists = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "imported_lists")) {
            for (ListRow row : chunk.lists()) {
                lists.beginRow();
                lists.append(chunk.importId());
                lists.append(day(row.day()));
                lists.append(row.list());
                lists.append(row.value());
                lists.append(row.visitors());
                lists.append(row.pageviews());
                lists.endRow();
            }
        }
    }

    private static void appendPageviews(DuckDBConnection connection, Chunk chunk) throws SQLException {
        if (chunk.pageviews().isEmpty()) {
            return;
        }
        try (DuckDBAppender pageviews = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "imported_pageviews")) {
            for (Pageview pageview : chunk.pageviews()) {
                pageviews.beginRow();
                pageviews.append(chunk.importId());
                pageviews.appendEpochMicros(pageview.timestampMicros());
                for (String text : List.of(pageview.session(), pageview.path())) {
                    pageviews.append(text);
                }
                pageviews.append(pageview.event());
                for (String text : List.of(pageview.referrerHost(), pageview.source(), pageview.utmSource(), pageview.country(),
                        pageview.browser(), pageview.browserVersion(), pageview.os(), pageview.osVersion(), pageview.device())) {
                    pageviews.append(text);
                }
                pageviews.endRow();
            }
        }
    }

    private static LocalDate day(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException | NullPointerException e) {
            throw DomainError.invalid("'" + text + "' is not a day like 2025-01-31");
        }
    }

    /**
     * Makes a loading import count, in one transaction: a GoatCounter import's pageviews are summed into days
     * (in the site's time zone) first. Refused when it holds no day, or when another import of the site has
     * any of its days (they would be counted twice); the import is then left to its caller to delete.
     */
    Finished finish(ImportRef ref) {
        ZoneId zone = ZoneId.of(sites.get(ref.scope(), ref.siteId(), Access.Action.MANAGE_IMPORTS).timezone());
        return database.write("finish import", sql -> {
            sql.first(Query.TOUCH_LOADING_IMPORT, row -> row.getInt(1), "import_id", ref.importId(), "site_id", ref.siteId())
                    .orElseThrow(() -> DomainError.notFound("no such import in progress"));
            Source source = sql.first(Query.IMPORT_OF_SITE, row -> Source.parse(row.getString("source")),
                    "import_id", ref.importId(), "site_id", ref.siteId()).orElseThrow();
            if (source == Source.GOATCOUNTER) {
                sql.update(Query.GOATCOUNTER_DAYS, "timezone", zone.getId(), "import_id", ref.importId());
                sql.update(Query.GOATCOUNTER_LISTS, "timezone", zone.getId(), "import_id", ref.importId());
                sql.update(Query.DELETE_PAGEVIEWS_OF_IMPORT, "import_id", ref.importId());
            }
            Range range = sql.first(Query.IMPORT_RANGE, row -> new Range(row.getLong("days"), row.getString("from_day"),
                    row.getString("to_day"), row.getLong("pageviews")), "import_id", ref.importId()).orElseThrow();
            if (range.days() == 0) {
                throw DomainError.invalid(source == Source.GOATCOUNTER
                        ? "the export holds no pageviews (bots are left out)"
                        : "the export holds no day of visitors: imported_visitors_*.csv is missing or empty");
            }
            String from = range.from();
            String to = range.to();
            sql.first(Query.OVERLAPPING_IMPORT, row -> row.getInt("id") + " (" + row.getString("from_day") + " to "
                    + row.getString("to_day") + ")", "site_id", ref.siteId(), "import_id", ref.importId(), "from", from, "to", to)
                    .ifPresent(other -> {
                        throw DomainError.conflict("import " + other + " has days of this one (" + from + " to " + to
                                + "); delete it first, or they would be counted twice");
                    });
            sql.update(Query.MARK_IMPORT_DONE, "from", from, "to", to, "pageviews", range.pageviews(),
                    "import_id", ref.importId());
            long trackedDays = sql.number(Query.TRACKED_DAYS_IN_RANGE, "timezone", zone.getId(), "site_id", ref.siteId(),
                    "start", utc(LocalDate.parse(from), zone), "end", utc(LocalDate.parse(to).plusDays(1), zone));
            return new Finished(ref.importId(), source.label(), from, to, range.pageviews(), range.days(), trackedDays);
        });
    }

    /** The start of a local day as a UTC timestamp, as the hits store time. */
    private static String utc(LocalDate day, ZoneId zone) {
        return day.atStartOfDay(zone).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime().toString();
    }

    ImportList list(Scope scope, int siteId) {
        sites.get(scope, siteId, Access.Action.READ_SITE);
        return new ImportList(database.read(sql -> sql.list(Query.IMPORTS_OF_SITE, row -> new Import(row.getInt("id"),
                row.getString("source"), row.getString("file_name"), row.getString("status"), row.getLong("pageviews"),
                row.getString("created_at"), row.getString("from_day"), row.getString("to_day")), "site_id", siteId)));
    }

    /** Deletes an import and its rows, whether finished or still loading. */
    Deleted delete(Scope scope, int siteId, int importId) {
        sites.get(scope, siteId, Access.Action.MANAGE_IMPORTS);
        return database.write("delete import", sql -> {
            sql.first(Query.IMPORT_OF_SITE, row -> row.getInt(1), "import_id", importId, "site_id", siteId)
                    .orElseThrow(() -> DomainError.notFound("no such import"));
            deleteRows(sql, importId);
            return Deleted.of(importId);
        });
    }

    /** Deletes the loading imports that stopped receiving rows: their upload died midway. */
    void deleteAbandoned() {
        database.write("delete abandoned imports", sql -> {
            List<Integer> abandoned = sql.list(Query.ABANDONED_IMPORTS, row -> row.getInt(1));
            for (int importId : abandoned) {
                deleteRows(sql, importId);
            }
            if (!abandoned.isEmpty()) {
                LOG.info(() -> "deleted " + abandoned.size() + " abandoned import(s): " + abandoned);
            }
            return abandoned.size();
        });
    }

    private static void deleteRows(Sql sql, int importId) throws SQLException {
        for (Query delete : DELETE_IN_ORDER) {
            sql.update(delete, "import_id", importId);
        }
    }
}
