import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;

/**
 * The baseline of the export benchmark: DuckDB itself writes one site's pageviews, in time order, as CSV, from a
 * copy of hitkeep.db (a backup), with no paging, no broker and no HTTP. Prints the seconds it took.
 *   java --enable-native-access=ALL-UNNAMED -cp app/target/hitkeep.jar bench/reports/RawCopy.java DB SITE OUT.csv
 */
public class RawCopy {
    public static void main(String[] args) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("duckdb.read_only", "true");
        properties.setProperty("memory_limit", "1GB");
        properties.setProperty("threads", "2");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + args[0], properties);
             Statement statement = connection.createStatement()) {
            long started = System.nanoTime();
            statement.execute("COPY (SELECT * FROM hits WHERE site_id = " + Integer.parseInt(args[1]) + " ORDER BY timestamp) TO '"
                    + args[2].replace("'", "''") + "' (HEADER)");
            System.out.printf("%.1f%n", (System.nanoTime() - started) / 1e9);
        }
    }
}
