package io.hitkeep.core;

import java.util.Set;

/**
 * The paths where browsers send hits: HitKeep's own tracker's ({@code /ingest...}) and the endpoints of
 * other tools' trackers that the gateway also answers (Plausible's {@code /api/event}, Umami's
 * {@code /api/send}, GoatCounter's {@code /count}). One list, so the auth guard lets exactly these through
 * without a session although two of them sit under {@code /api}, and the ingest rate limit and the lean
 * headers of the hot path apply to all of them alike.
 */
public final class IngestPaths {
    /** Other tools' tracker endpoints: public, exact paths only (nothing below them is open). */
    public static final Set<String> COMPATIBLE = Set.of("/api/event", "/api/send", "/count");

    private IngestPaths() {
    }

    /** Whether a request to this path is a browser's hit: open to anyone, CORS for any origin, ingest-limited. */
    public static boolean fromBrowser(String path) {
        return path.startsWith("/ingest") || COMPATIBLE.contains(path);
    }
}
