package io.hitkeep.app;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which paths are the dashboard's; the end-to-end checks are in browser-tests/test/dashboard.test.mjs. */
class DashboardTest {
    @Test
    void theApisAreNeverTheApps() {
        for (String path : new String[] {"/api", "/api/sites", "/ingest", "/ingest/event", "/hk.js", "/healthz", "/readyz", "/metrics"}) {
            assertFalse(Dashboard.isUiPath(path), path);
            assertFalse(Dashboard.isAppRoute(path), path);
        }
        assertTrue(Dashboard.isUiPath("/"));
        assertTrue(Dashboard.isUiPath("/apix"));
        assertTrue(Dashboard.isUiPath("/main-ABCDEFGH.js"));
    }

    @Test
    void deepLinksAreTheRoutersOnly() {
        assertTrue(Dashboard.isAppRoute("/sites"));
        assertTrue(Dashboard.isAppRoute("/sites/3"));
        assertFalse(Dashboard.isAppRoute("/sitesx"));
        assertFalse(Dashboard.isAppRoute("/nothing/here"));
    }

    @Test
    void gzipGoesToClientsThatTakeIt() {
        for (String taken : new String[] {"gzip", "gzip, deflate, br, zstd", "br;q=1.0, GZIP;q=0.5", "*", "deflate, *;q=0.1"}) {
            assertTrue(Dashboard.acceptsGzip(taken), taken);
        }
        for (String refused : new String[] {"", "identity", "br, deflate", "gzip;q=0", "gzip; q=0.000, *", "*;q=0", "x-gzip2"}) {
            assertFalse(Dashboard.acceptsGzip(refused), refused);
        }
    }

    @Test
    void theBuiltAppIsOnTheClasspath() {
        assertTrue(Dashboard.load().isPresent(), "io/hitkeep/ui/index.html: the ui module builds it");
    }
}
