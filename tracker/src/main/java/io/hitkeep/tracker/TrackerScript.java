package io.hitkeep.tracker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * The minified {@code hk.js} as the build made it (the classpath resource {@code io/hitkeep/tracker/hk.js}),
 * with a strong ETag from its SHA-256. Immutable and thread-safe.
 */
public final class TrackerScript {
    static final String RESOURCE = "hk.js";
    /** The budget every site owner's visitors pay: the build fails above it (TrackerScriptTest). */
    public static final int MAX_MINIFIED_BYTES = 2048;
    public static final int MAX_GZIPPED_BYTES = 1024;

    private static final TrackerScript BUILT = load();

    private final byte[] bytes;
    private final String etag;

    private TrackerScript(byte[] bytes) {
        this.bytes = bytes;
        this.etag = "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 16) + "\"";
    }

    /** The script in this jar. */
    public static TrackerScript built() {
        return BUILT;
    }

    private static TrackerScript load() {
        try (InputStream in = TrackerScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("io/hitkeep/tracker/hk.js is missing: the tracker module was built "
                        + "without its esbuild step (needs node and npm)");
            }
            return new TrackerScript(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the minified script, UTF-8. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int size() {
        return bytes.length;
    }

    /** Size after gzip at its default level, what a compressing proxy would send. */
    public int gzippedSize() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.size();
    }

    /** A quoted strong entity tag: the first 128 bits of the script's SHA-256, in hex. */
    public String etag() {
        return etag;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
