import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Puts N synthetic pageviews of one site into a stopped HitKeep's hitkeep.db, spread over the last D days
 * (three pages per session, a third of the visitors coming back; visitor ids salted per UTC day, as the gateways
 * make them, but full 64-bit hashes, not CompactIds' day-prefixed layout, so that figures stay comparable with
 * earlier runs; bench/storage/CompactIdsReads.java times that layout), so the dashboard can be timed on a big
 * site without sending a million requests. Run with the jar on the class path (it carries DuckDB):
 *   java --enable-native-access=ALL-UNNAMED -cp app/target/hitkeep.jar bench/dashboard/SeedHits.java DB SITE N DAYS [SIGNUPS] [ordered] [compact]
 * One INSERT ... SELECT over range(N): DuckDB writes it in a few seconds. With SIGNUPS (sessions in a hundred), that
 * share of the sessions also sends a custom event Signup from /signup, 5 s after the session's first pageview, with
 * the property plan (pro or free), for the goals and funnels benchmark (bench/funnels/run.sh).
 * With "ordered" the rows are stored in time order, as ingest stores them; without, in a scattered order. With
 * "compact" the ids have CompactIds' layout, as ingest makes them (see {@link #ids}).
 */
public class SeedHits {
    /**
     * The visitor and session id columns: full 63-bit hashes, or with "compact" CompactIds' layout as ingest makes
     * them (the UTC day in the bits above 36 bits of the hash; a session's day is that of its first pageview,
     * i % 3 = 2, 80 s before its last).
     */
    static String ids(boolean compact, int days) {
        if (!compact) {
            return "(hash(i // 9, ts::DATE) >> 1)::BIGINT, (hash(i // 3, 'session') >> 1)::BIGINT";
        }
        String sessionDay = "(now()::TIMESTAMP - to_seconds(((i // 3) * 7919 + 80) % (" + days + " * 86400)))::DATE";
        return "((epoch(ts::DATE)::BIGINT // 86400) << 36) | (hash(i // 9, ts::DATE) >> 28)::BIGINT, "
                + "((epoch(" + sessionDay + ")::BIGINT // 86400) << 36) | (hash(i // 3, 'session') >> 28)::BIGINT";
    }

    public static void main(String[] args) throws Exception {
        String database = args[0];
        int site = Integer.parseInt(args[1]);
        long count = Long.parseLong(args[2]);
        int days = Integer.parseInt(args[3]);
        boolean ordered = java.util.Arrays.asList(args).subList(4, args.length).contains("ordered");
        boolean compact = java.util.Arrays.asList(args).subList(4, args.length).contains("compact");
        int signups = args.length > 4 && args[4].matches("\\d+") ? Integer.parseInt(args[4]) : 0;
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database);
             Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            String domain;
            try (PreparedStatement select = connection.prepareStatement("SELECT domain FROM sites WHERE id = ?")) {
                select.setInt(1, site);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw new IllegalArgumentException("no site " + site + " in " + database);
                    }
                    domain = row.getString(1);
                }
            }
            long started = System.nanoTime();
            String sql = """
                    INSERT INTO hits (timestamp, site_id, hostname, path, referrer_host, source, utm_source, utm_medium,
                                      utm_campaign, utm_term, utm_content, country, browser, os, device, language,
                                      viewport_width, visitor_id, session_id, browser_version, os_version, medium)
                    SELECT ts,
                           %d, '%s',
                           ['/', '/pricing', '/docs', '/blog', '/blog/launch', '/about', '/signup', '/docs/api',
                            '/docs/install', '/contact', '/careers', '/changelog'][1 + (hash(i * 31) %% 12)::BIGINT],
                           ['', '', 'google.com', 'news.ycombinator.com', 'github.com', 'duckduckgo.com', 't.co',
                            'reddit.com'][1 + (hash(i // 3) %% 8)::BIGINT],
                           ['', '', 'Google', 'Hacker News', 'GitHub', 'DuckDuckGo', 'Twitter', 'Reddit'][1 + (hash(i // 3) %% 8)::BIGINT],
                           ['', '', '', 'newsletter', 'twitter'][1 + (hash(i // 3 + 1) %% 5)::BIGINT],
                           ['', '', '', 'email', 'social'][1 + (hash(i // 3 + 1) %% 5)::BIGINT],
                           ['', '', '', 'autumn', 'launch'][1 + (hash(i // 3 + 1) %% 5)::BIGINT],
                           '', '',
                           ['US', 'DE', 'GB', 'FR', 'IN', 'BR', 'CA', 'AU', 'NL', 'JP', 'ES', 'SE'][1 + (hash(i // 9) %% 12)::BIGINT],
                           ['Chrome', 'Safari', 'Firefox', 'Edge', 'Samsung Internet'][1 + (hash(i // 9 + 2) %% 5)::BIGINT],
                           ['Windows', 'macOS', 'iOS', 'Android', 'Linux'][1 + (hash(i // 9 + 3) %% 5)::BIGINT],
                           ['desktop', 'mobile', 'tablet'][1 + (hash(i // 9 + 4) %% 3)::BIGINT],
                           ['en', 'de', 'fr', 'es', 'pt', 'ja'][1 + (hash(i // 9 + 5) %% 6)::BIGINT],
                           [1280, 390, 1920, 820][1 + (hash(i // 9 + 6) %% 4)::BIGINT],
                           %s,
                           ['131', '17', '128', '130'][1 + (hash(i // 9 + 2) %% 4)::BIGINT], '',
                           ['', '', 'search', 'social', 'email'][1 + (hash(i // 3) %% 5)::BIGINT]
                    FROM (SELECT i, now()::TIMESTAMP - to_seconds(((i // 3) * 7919 + (i %% 3) * 40) %% (%d * 86400)) AS ts
                          FROM range(%d) t(i)) %s
                    """.formatted(site, domain.replace("'", "''"), ids(compact, days), days, count, ordered ? "ORDER BY 1" : "");
            statement.execute(sql);
            System.out.printf("seeded %,d pageviews of %s over %d days in %.1f s%n", count, domain, days,
                    (System.nanoTime() - started) / 1e9);
            if (signups > 0) {
                // session s holds the pageviews i = 3s .. 3s+2 above: its visitor is hash(i // 9, its UTC day), its
                // first pageview (i = 3s, the latest of the three) is s * 7919 seconds ago, modulo the range
                String events = """
                        INSERT INTO events (timestamp, site_id, name, props, hostname, path, referrer_host, source, utm_source,
                                            utm_medium, utm_campaign, utm_term, utm_content, country, browser, os, device, language,
                                            viewport_width, visitor_id, session_id, browser_version, os_version, medium)
                        SELECT ts, %d, 'Signup',
                               ['{"plan":"pro"}', '{"plan":"free"}', '{"plan":"free"}'][1 + (hash(s, 'plan') %% 3)::BIGINT],
                               '%s', '/signup', '', '', '', '', '', '', '',
                               ['US', 'DE', 'GB', 'FR', 'IN', 'BR', 'CA', 'AU', 'NL', 'JP', 'ES', 'SE'][1 + (hash(s // 3) %% 12)::BIGINT],
                               'Chrome', 'Windows', 'desktop', 'en', 1280,
                               (hash(s // 3, (ts - INTERVAL 5 SECOND)::DATE) >> 1)::BIGINT, (hash(s, 'session') >> 1)::BIGINT, '131', '', ''
                        FROM (SELECT s, now()::TIMESTAMP - to_seconds((s * 7919) %% (%d * 86400)) + INTERVAL 5 SECOND AS ts
                              FROM range(%d) t(s))
                        WHERE hash(s, 'signup') %% 100 < %d
                        """.formatted(site, domain.replace("'", "''"), days, count / 3, signups);
                started = System.nanoTime();
                int rows = statement.executeUpdate(events);
                System.out.printf("seeded %,d Signup events in %.1f s%n", rows, (System.nanoTime() - started) / 1e9);
            }
        }
    }
}
