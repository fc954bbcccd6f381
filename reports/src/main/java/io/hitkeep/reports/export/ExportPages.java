package io.hitkeep.reports.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.auth.Access;
import io.hitkeep.auth.Teams;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Json;
import io.hitkeep.core.Scope;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.writer.ArchivedMonths;
import io.hitkeep.writer.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The writer's side of an export: one page of a site's raw pageviews or events in a range of local days, at most
 * {@link #PAGE_ROWS} rows (plus any that share the last row's instant), ordered by time and continued after a
 * cursor (the page's last instant, UTC, as {@code next}), so an export of any size is a walk of small requests and neither side holds
 * more than a page. Rows are what is stored (no IP address, no user agent), archived months included. Authorised
 * like the stats: a member of the site's team may export it. Thread-safe.
 */
public final class ExportPages {
    public static final StoreOperation<Page, ObjectNode> PAGE = StoreOperation.of("export.page", Page.class, ObjectNode.class);
    static final int PAGE_ROWS = 2000;
    /** One column list for both kinds of row, so a CSV has one header: pageviews leave {@code name} and {@code props} empty. */
    public static final List<String> COLUMNS = List.of("kind", "timestamp", "name", "props", "hostname", "path", "referrer_host",
            "source", "medium", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "country", "browser",
            "browser_version", "os", "os_version", "device", "language", "viewport_width", "visitor_id", "session_id");
    /** The tables exported, in this order, with the kind their rows get. */
    public enum Kind {
        PAGEVIEW("hits"), EVENT("events");

        final String table;

        Kind(String table) {
            this.table = table;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param after the last instant already sent (as the previous page's {@code next}), empty for the first page
     */
    public record Page(Scope scope, int siteId, String from, String to, Kind kind, String after) {}

    /**
     * The operator's page ({@code java -jar hitkeep.jar export}): whoever can reach the store can already do
     * anything an operator can, as with the other store operations, so no caller is checked.
     */
    public static final StoreOperation<Page, ObjectNode> OPERATOR_PAGE = StoreOperation.of("export.operator-page", Page.class, ObjectNode.class);

    private final Database database;
    private final Teams teams;

    public ExportPages(Database database) {
        this.database = database;
        this.teams = new Teams(database);
    }

    /**
     * {@code {"rows": [[...], ...], "next": "<instant>"}}: rows as arrays in {@link #COLUMNS} order; {@code next}
     * is absent on the last page.
     */
    public ObjectNode page(Page page) {
        return page(page, true);
    }

    /** {@link #page(Page)} without asking whether the caller may read the site: for {@link #OPERATOR_PAGE}. */
    public ObjectNode operatorPage(Page page) {
        return page(page, false);
    }

    private ObjectNode page(Page page, boolean checkCaller) {
        ZoneId zone = site(page.scope(), page.siteId(), checkCaller);
        LocalDateTime start = LocalDate.parse(page.from()).atStartOfDay(zone).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
        LocalDateTime end = LocalDate.parse(page.to()).plusDays(1).atStartOfDay(zone).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
        String after = page.after() == null || page.after().isEmpty() ? null : page.after();
        return database.read(sql -> {
            String source = ArchivedMonths.sources(sql, database.file().getParent(), page.siteId(), start, end).of(page.kind().table);
            String range = " FROM " + source + " WHERE site_id = ? AND timestamp >= CAST(? AS TIMESTAMP) AND timestamp < CAST(? AS TIMESTAMP)"
                    + (after == null ? "" : " AND timestamp > CAST(? AS TIMESTAMP)");
            // First the page's last instant, from the timestamp column alone (cheap even where rows are not stored in
            // time order), then every row up to and including it: rows that share that instant all come in this page,
            // and the next page starts after it, so no row is skipped or sent twice.
            String edge = null;
            long found;
            try (PreparedStatement statement = sql.connection().prepareStatement("SELECT strftime(max(timestamp), '%Y-%m-%d %H:%M:%S.%f'), "
                    + "count(*) FROM (SELECT timestamp" + range + " ORDER BY timestamp LIMIT " + PAGE_ROWS + ")")) {
                bind(statement, page.siteId(), start, end, Optional.ofNullable(after));
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    edge = row.getString(1);
                    found = row.getLong(2);
                }
            }
            ObjectNode answer = Json.object();
            ArrayNode rows = answer.putArray("rows");
            if (found == 0) {
                return answer;
            }
            try (PreparedStatement statement = sql.connection().prepareStatement("SELECT " + columns(page.kind()) + range
                    + " AND timestamp <= CAST(? AS TIMESTAMP) ORDER BY timestamp")) {
                int next = bind(statement, page.siteId(), start, end, Optional.ofNullable(after));
                statement.setString(next, edge);
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        rows.add(row(result));
                    }
                }
            }
            if (found == PAGE_ROWS) {
                answer.put("next", edge);
            }
            return answer;
        });
    }

    /** The site's time zone, when the caller may read the site; else the stats' 404. */
    private ZoneId site(Scope scope, int siteId, boolean checkCaller) {
        Optional<Object[]> site = database.read(sql -> {
            try (PreparedStatement statement = sql.connection().prepareStatement("SELECT team_id, timezone FROM sites WHERE id = ?")) {
                statement.setInt(1, siteId);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Optional.of(new Object[] {row.getInt(1), row.getString(2)}) : Optional.empty();
                }
            }
        });
        Object[] found = site.orElseThrow(() -> DomainError.notFound("no such site"));
        if (checkCaller) {
            teams.require(scope, (Integer) found[0], Access.Action.READ_SITE, "no such site");
        }
        return ZoneId.of((String) found[1]);
    }

    private static String columns(Kind kind) {
        StringBuilder select = new StringBuilder("'").append(kind.label()).append("' AS kind, strftime(timestamp, '%Y-%m-%dT%H:%M:%S.%fZ') AS ts");
        for (String column : COLUMNS.subList(2, COLUMNS.size())) {
            boolean eventOnly = column.equals("name") || column.equals("props");
            select.append(", ").append(kind == Kind.PAGEVIEW && eventOnly ? "''" : column).append(" AS ").append(column);
        }
        return select.toString();
    }

    /** The site, the range and, when given, the cursor; answers the next parameter's index. */
    private static int bind(PreparedStatement statement, int siteId, LocalDateTime start, LocalDateTime end, Optional<String> after)
            throws SQLException {
        statement.setInt(1, siteId);
        statement.setString(2, start.toString());
        statement.setString(3, end.toString());
        if (after.isPresent()) {
            statement.setString(4, after.get());
            return 5;
        }
        return 4;
    }

    private static ArrayNode row(ResultSet result) throws SQLException {
        ArrayNode row = Json.MAPPER.createArrayNode();
        for (int i = 1; i <= COLUMNS.size(); i++) {
            Object value = result.getObject(i);
            if (value instanceof Number number) {
                row.add(number.longValue());
            } else {
                row.add(value == null ? "" : value.toString());
            }
        }
        return row;
    }
}
