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
 * landed main, one query per list over {@code WITH scoped AS (SELECT * ...)}; "new": this tree's raw path,
 * which scans once for every top list, and its rollup path). Prints each plan and its total time.
 *   java --enable-native-access=ALL-UNNAMED -cp hitkeep.jar bench/dashboard/ExplainStats.java DB SITE FROM TO base|new
 */
public class ExplainStats {
    public static void main(String[] args) throws Exception {
        String database = args[0];
        int site = Integer.parseInt(args[1]);
        String start = args[2] + " 00:00:00";
        String end = java.time.LocalDate.parse(args[3]).plusDays(1) + " 00:00:00";
        String build = args[4];
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
            for (String line : sql("explain.sql").split("-- query: ")) {
                if (!line.isBlank()) {
                    int newline = line.indexOf('\n');
                    queries.put(line.substring(0, newline).strip(), line.substring(newline + 1)
                            .replace(":site", Integer.toString(site)).replace(":start", "TIMESTAMP '" + start + "'")
                            .replace(":end", "TIMESTAMP '" + end + "'").replace(":from", "DATE '" + args[2] + "'")
                            .replace(":to", "DATE '" + args[3] + "'"));
                }
            }
        }
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database, readOnly());
             Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
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

    private static java.util.Properties readOnly() {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("duckdb.read_only", "true");
        properties.setProperty("memory_limit", "128MB");
        properties.setProperty("threads", "2");
        return properties;
    }

    private static String sql(String name) throws Exception {
        try (InputStream in = ExplainStats.class.getClassLoader().getResourceAsStream("io/hitkeep/query/sql/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no io/hitkeep/query/sql/" + name + " in this jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.strip().startsWith("-- name:"))
                    .reduce("", (a, b) -> a + "\n" + b);
        }
    }
}
