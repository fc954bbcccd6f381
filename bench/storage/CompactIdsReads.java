import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Do compact ids (CompactIds: the UTC day above 36 bits of the hash) cost the stats queries anything? Copies the
 * hits of an installation twice, in time order as the writer appends them: once with their ids as stored, once
 * with the ids laid out as CompactIds lays them out; then times the same queries on both copies (DuckDB at
 * 128 MB and 2 threads, as the server runs it; five runs after a warm one, median; two rounds) and prints the
 * storage of the id columns and a digest of each answer. Writes two tables into DB: use a copy, e.g. of a seeded
 * installation (bench/dashboard/SeedHits.java).
 *   java --enable-native-access=ALL-UNNAMED -cp app/target/hitkeep.jar bench/storage/CompactIdsReads.java DB SITE FROM TO
 */
public class CompactIdsReads {
    public static void main(String[] args) throws Exception {
        String database = args[0];
        int site = Integer.parseInt(args[1]);
        String range = "site_id = " + site + " AND timestamp >= TIMESTAMP '" + args[2] + "' AND timestamp < TIMESTAMP '"
                + java.time.LocalDate.parse(args[3]).plusDays(1) + "'";
        Properties copying = new Properties();
        copying.setProperty("memory_limit", "4GB");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database, copying);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE OR REPLACE TABLE hits_full_ids AS SELECT * FROM hits ORDER BY timestamp");
            // a session's day is that of its first hit; the top 36 bits of each hash, as CompactIds keeps them
            statement.execute("""
                    CREATE OR REPLACE TABLE hits_compact_ids AS
                    SELECT * REPLACE (
                        (((epoch_ms(timestamp) // 86400000) << 36) | (visitor_id::UBIGINT >> 28))::BIGINT AS visitor_id,
                        (((epoch_ms(min(timestamp) OVER (PARTITION BY session_id)) // 86400000) << 36)
                            | (session_id::UBIGINT >> 28))::BIGINT AS session_id)
                    FROM hits ORDER BY timestamp""");
            statement.execute("CHECKPOINT");
            for (String table : new String[] {"hits_full_ids", "hits_compact_ids"}) {
                try (ResultSet rows = statement.executeQuery("SELECT column_name, compression, count(*) FROM pragma_storage_info('"
                        + table + "') WHERE column_name IN ('visitor_id', 'session_id') AND segment_type <> 'VALIDITY' GROUP BY ALL ORDER BY ALL")) {
                    while (rows.next()) {
                        System.out.printf("%s.%s: %d %s segments%n", table, rows.getString(1), rows.getLong(3), rows.getString(2));
                    }
                }
            }
        }
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("entry and exit pages of one country", """
                WITH sessions AS (
                    SELECT session_id, arg_min(path, timestamp) AS entry_page, arg_max(path, timestamp) AS exit_page,
                           arg_min(visitor_id, timestamp) AS entry_visitor, arg_max(visitor_id, timestamp) AS exit_visitor
                    FROM {table} WHERE {range} AND country = 'DE' GROUP BY session_id),
                sides AS (SELECT 'entry' AS side, entry_page AS page, entry_visitor AS visitor FROM sessions
                          UNION ALL SELECT 'exit', exit_page, exit_visitor FROM sessions)
                SELECT side, page, count(*) AS sessions, count(DISTINCT visitor) AS visitors FROM sides
                GROUP BY side, page QUALIFY row_number() OVER (PARTITION BY side ORDER BY sessions DESC, page) <= 10 ORDER BY ALL""");
        queries.put("distinct visitors and sessions", "SELECT count(DISTINCT visitor_id), count(DISTINCT session_id) FROM {table} WHERE {range}");
        Properties reading = new Properties();
        reading.setProperty("duckdb.read_only", "true");
        reading.setProperty("memory_limit", "128MB");
        reading.setProperty("threads", "2");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database, reading);
             Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            for (int round = 1; round <= 2; round++) {
                for (Map.Entry<String, String> query : queries.entrySet()) {
                    for (String table : new String[] {"hits_full_ids", "hits_compact_ids"}) {
                        String sql = query.getValue().replace("{table}", table).replace("{range}", range);
                        long[] millis = new long[5];
                        String digest = "";
                        for (int run = -1; run < millis.length; run++) {
                            long start = System.nanoTime();
                            StringBuilder answer = new StringBuilder();
                            try (ResultSet rows = statement.executeQuery(sql)) {
                                int columns = rows.getMetaData().getColumnCount();
                                while (rows.next()) {
                                    for (int column = 1; column <= columns; column++) {
                                        answer.append(rows.getString(column)).append(',');
                                    }
                                    answer.append('\n');
                                }
                            }
                            if (run >= 0) {
                                millis[run] = (System.nanoTime() - start) / 1_000_000;
                            }
                            digest = Integer.toHexString(answer.toString().hashCode());
                        }
                        Arrays.sort(millis);
                        System.out.printf("round %d, %s, %s: median %d ms (answer %s)%n", round, query.getKey(), table,
                                millis[millis.length / 2], digest);
                    }
                }
            }
        }
    }
}
