package io.hitkeep.tracker;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The size budget of hk.js: this test fails the build when the minified script grows past it. */
class TrackerScriptTest {
    private final TrackerScript script = TrackerScript.built();

    @Test
    void minifiedScriptStaysWithinItsSizeBudget() {
        int minified = script.size();
        int gzipped = script.gzippedSize();
        System.out.printf("hk.js: %d bytes minified (limit %d), %d bytes gzipped (limit %d)%n",
                minified, TrackerScript.MAX_MINIFIED_BYTES, gzipped, TrackerScript.MAX_GZIPPED_BYTES);
        assertTrue(minified <= TrackerScript.MAX_MINIFIED_BYTES,
                "hk.js is " + minified + " bytes minified, over the " + TrackerScript.MAX_MINIFIED_BYTES + " byte budget");
        assertTrue(gzipped <= TrackerScript.MAX_GZIPPED_BYTES,
                "hk.js is " + gzipped + " bytes gzipped, over the " + TrackerScript.MAX_GZIPPED_BYTES + " byte budget");
    }

    @Test
    void resourceIsTheMinifiedBuildNotTheSource() {
        String text = new String(script.bytes(), StandardCharsets.UTF_8);
        assertFalse(text.contains("// "), "comments survived: the esbuild step did not run");
        assertTrue(text.contains("/ingest/event"));
    }

    @Test
    void etagIsAQuotedHashOfTheBytes() {
        assertTrue(script.etag().matches("\"[0-9a-f]{32}\""), script.etag());
        assertEquals(script.etag(), TrackerScript.built().etag());
    }
}
