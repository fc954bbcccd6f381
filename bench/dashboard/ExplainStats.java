import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EXPLAIN ANALYZE of the stats queries over a range, run on a stopped installation's hitkeep.db with the
 * SQL files of the jar on the class path, composed the way that build's Stats composes them ("base": the
 * landed main, one query per list over {@code WITH scoped AS (SELECT * ...)}; "new": this tree's rollup path
 * for the range, and its raw path, which scans once for every top list, for the range filtered to one
 * country). Prints each plan and its total time.
 *   java --enable-native-access=ALL-UNNAMED -cp hitkeep.jar bench/dashboard/ExplainStats.java DB SITE FROM TO base|new
 * MEMORY_LIMIT=384MB: DuckDB's memory limit (default 128MB). TIMES=5: instead of the plans, each query's median and
 * fastest time over that many runs after a warm one, and what DuckDB holds in memory after it ({@code duckdb_memory()}).
 */
public class ExplainStats {
    public static void main(String[] args) throws Exception {
        String database = args[0];
        int site = Integer.parseInt(args[1]);
        String start = args[2] + " 00:00:00";
        String end = java.time.LocalDate.parse(args[3]).plusDays(1) + " 00:00:00";
        // a baseline with the rollups already (no stats_top.sql) is explained as this tree is
        String build = args[4].equals("base") && ExplainStats.class.getClassLoader().getResource("io/hitkeep/query/sql/stats_top.sql") == null
                ? "new" : args[4];
        Map<String, String> queries = new LinkedHashMap<>();
        String range = "site_id = " + site + " AND timestamp >= TIMESTAMP '" + start + "' AND timestamp < TIMESTAMP '" + end + "'";
        String engaged = ", engaged AS (SELECT session_id, max(timestamp) AS last_seen FROM engagements WHERE " + range
                + " GROUP BY session_id)";
        if (build.equals("base")) {
            String scoped = "WITH scoped AS (SELECT * FROM hits WHERE " + range + ")";
            queries.put("summary", scoped + engaged + " SELECT * FROM (" + sql("stats_summary.sql") + ")");
            queries.put("chart", scoped + " SELECT * FROM (" + sql("stats_chart.sql").replace(":bucket", "'day'")
                    .replace(":timezone", "'UTC'").replace(":format", "'%Y-%m-%d'") + ")");
            queries.put("pages (one of 15 top lists)", scoped + " SELECT * FROM (" + sql("stats_top.sql").replace(":column", "path")
                    .replace("LIMIT ?", "LIMIT 10") + ")");
            queries.put("entry_pages", scoped + " SELECT * FROM (" + sql("stats_session_pages.sql").replace(":pick", "arg_min")
                    .replace("LIMIT ?", "LIMIT 10") + ")");
        } else {
            // the rollup path of an unfiltered request, as RollupAnswers composes it (every day rolled)
            String days = " WHERE site_id = " + site + " AND day BETWEEN DATE '" + args[2] + "' AND DATE '" + args[3] + "'";
            String from = "DATE '" + args[2] + "'";
            String to = "DATE '" + args[3] + "'";
            queries.put("rollups: sessions, bounces, durations", named("rollups.sql", "answer-summary")
                    .replace("{pieces}", "SELECT * FROM rollup_sessions" + days).replace(":from", from).replace(":to", to));
            // one read for the plan's check, the summary's pageviews and visitors, and the chart (RollupAnswers.dayFigures)
            queries.put("rollups: the days' figures", "SELECT day, pageviews, visitors, shared_visitors FROM rollup_days" + days);
            queries.put("rollups: every top list", named("rollups.sql", "answer-lists")
                    .replace("{values}", "SELECT day, dimension, value, link_day, pageviews, visitors, shared_visitors FROM rollup_values" + days)
                    .replace(":from", from).replace(":to", to).replace(":limit", "10"));
            // the raw path of a filtered request: the summary and the entry and exit pages (over the sessions of
            // stats_sessions.sql where the build has it), and every top list in one scan, with estimated visitors as
            // a year of a big site asks for them
            String scoped = "WITH scoped AS (SELECT * FROM hits WHERE " + range + " AND country = 'DE')";
            String summary = sql("stats_summary.sql");
            if (summary.contains("scoped_sessions")) {
                String sessions = engaged + ", scoped_sessions AS (" + sql("stats_sessions.sql") + ")";
                // the build reads the filtered value's pageviews and visitors from the rollups: no distinct count here
                queries.put("raw, filtered: summary", scoped + sessions + " SELECT * FROM (" + summary.replace("{visitors}", "NULL::BIGINT") + "\n)");
                queries.put("raw, filtered: entry and exit pages", scoped + sessions + " SELECT * FROM ("
                        + sql("stats_session_pages.sql").replace("<= ?", "<= 10") + "\n)");
                queries.put("rollups, filtered: pageviews and visitors per day", "SELECT day, pageviews, visitors, shared_visitors FROM rollup_values"
                        + days + " AND dimension = 'countries' AND value = 'DE'");
            } else {
                queries.put("raw, filtered: summary", scoped + engaged + " SELECT * FROM (" + summary + ")");
                queries.put("raw, filtered: entry and exit pages", scoped + " SELECT * FROM (" + sql("stats_session_pages.sql")
                        .replace("<= ?", "<= 10") + ")");
            }
            queries.put("raw, filtered: every top list (estimated visitors)", scoped + " SELECT * FROM ("
                    + topLists(sql("stats_lists_estimated.sql")).replace("<= ?", "<= 10") + ")");
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database, readOnly());
             Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            if (System.getenv("TIMES") != null) {
                time(statement, queries, Integer.parseInt(System.getenv("TIMES")));
                return;
            }
            for (Map.Entry<String, String> query : queries.entrySet()) {
                // once to warm the buffers, as the warm figures of stats.sh are
                try (ResultSet ignored = statement.executeQuery(query.getValue())) {
                    while (ignored.next()) {
                        // drained
                    }
                }
                System.out.println("query " + query.getKey());
                try (ResultSet plan = statement.executeQuery("EXPLAIN ANALYZE " + query.getValue())) {
                    while (plan.next()) {
                        String text = plan.getString(2);
                        System.out.println(text);
                        text.lines().filter(line -> line.contains("Total Time")).findFirst()
                                .ifPresent(line -> System.out.println("Total Time of " + query.getKey() + ": "
                                        + line.replaceAll("[^0-9.s]", "")));
                    }
                }
            }
        }
    }

    /** Each query's median and fastest wall time over {@code runs} runs after a warm one, and DuckDB's memory after them. */
    private static void time(Statement statement, Map<String, String> queries, int runs) throws Exception {
        for (Map.Entry<String, String> query : queries.entrySet()) {
            long[] millis = new long[runs];
            for (int run = -1; run < runs; run++) {
                long start = System.nanoTime();
                try (ResultSet rows = statement.executeQuery(query.getValue())) {
                    while (rows.next()) {
                        // drained
                    }
                }
                if (run >= 0) {
                    millis[run] = (System.nanoTime() - start) / 1_000_000;
                }
            }
            java.util.Arrays.sort(millis);
            StringBuilder memory = new StringBuilder();
            try (ResultSet tags = statement.executeQuery("SELECT tag, memory_usage_bytes // 1048576, temporary_storage_bytes // 1048576"
                    + " FROM duckdb_memory() WHERE memory_usage_bytes >= 1048576 OR temporary_storage_bytes > 0 ORDER BY 2 DESC")) {
                while (tags.next()) {
                    memory.append(' ').append(tags.getString(1)).append(' ').append(tags.getLong(2)).append(" MiB")
                            .append(tags.getLong(3) > 0 ? " (spilled " + tags.getLong(3) + " MiB)" : "");
                }
            }
            System.out.println(query.getKey() + ": median " + millis[runs / 2] + " ms, fastest " + millis[0] + " ms; DuckDB holds" + memory);
        }
    }

    private static java.util.Properties readOnly() {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("duckdb.read_only", "true");
        properties.setProperty("memory_limit", System.getenv().getOrDefault("MEMORY_LIMIT", "128MB"));
        properties.setProperty("threads", "2");
        return properties;
    }

    /** A statement of one of the jar's named-statement files ({@code -- name: x}). */
    private static String named(String file, String name) throws Exception {
        String text = sql(file);
        int start = text.indexOf("-- name: " + name + "\n");
        int end = text.indexOf("-- name: ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end).lines().filter(line -> !line.strip().startsWith("--"))
                .reduce("", (a, b) -> a + "\n" + b);
    }

    /**
     * The top lists filled in by the jar's own registry (Dimension.withTopLists, package-private: by reflection);
     * builds before the rollups took a second argument, the grouping sets' fill.
     */
    private static String topLists(String sql) throws Exception {
        Class<?> dimension = Class.forName("io.hitkeep.query.Dimension");
        try {
            java.lang.reflect.Method fill = dimension.getDeclaredMethod("withTopLists", String.class);
            fill.setAccessible(true);
            return (String) fill.invoke(null, sql);
        } catch (NoSuchMethodException older) {
            java.lang.reflect.Method fill = dimension.getDeclaredMethod("withTopLists", String.class, String.class);
            fill.setAccessible(true);
            return (String) fill.invoke(null, sql, "");
        }
    }

    private static String sql(String name) throws Exception {
        try (InputStream in = ExplainStats.class.getClassLoader().getResourceAsStream("io/hitkeep/query/sql/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no io/hitkeep/query/sql/" + name + " in this jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
