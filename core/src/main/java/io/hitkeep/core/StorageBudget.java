package io.hitkeep.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How much disk the embedded broker may use, decided from the free space of the data volume at start.
 * nats-server on its own allows JetStream 75 % of the free space and the hit stream used to reserve a fixed
 * 8 GiB, so a volume with less than about 10.7 GiB free could not start at all. Here the hit stream gets
 * half of what is free (DuckDB needs the other half), at most 8 GiB, or what {@code HITKEEP_STREAM_MAX_BYTES}
 * says; JetStream's own limit ({@code max_file_store}) is that plus a little room for the key-value buckets,
 * so JetStream refuses a message (the gateway answers 503 at once) before the disk is really full (which
 * wedges nats-server 2.9's JetStream until a restart). Immutable.
 *
 * @param streamMaxBytes the hit stream's {@code max_bytes}
 * @param maxFileStore   JetStream's {@code max_file_store}
 */
public record StorageBudget(long streamMaxBytes, long maxFileStore) {
    static final long LARGEST_STREAM = 8L << 30;
    static final long SMALLEST_STREAM = 1L << 20;
    /** The site and salt buckets and the consumers' state (kilobytes in practice); less on a small volume. */
    static final long ROOM_FOR_BUCKETS = 64L << 20;
    private static final Pattern MAX_BYTES = Pattern.compile("\"max_bytes\"\\s*:\\s*(-?\\d+)");

    /**
     * The budget for a volume with {@code usableBytes} free, of which the broker's store already holds
     * {@code storeBytes} (its own files count as room it has), with an existing stream that reserves
     * {@code existingStreamMaxBytes} (0 when there is none).
     */
    public static StorageBudget plan(long usableBytes, long storeBytes, long existingStreamMaxBytes, Optional<Long> configured) {
        long available = Math.max(0, usableBytes) + Math.max(0, storeBytes);
        long stream = configured.orElseGet(() -> Math.clamp(available / 2, SMALLEST_STREAM, LARGEST_STREAM));
        // an existing stream that reserves more is only shrunk once the server runs (HitStream.ensure); it must
        // fit JetStream's limit to be loaded at all, or nats-server skips it and its unwritten hits with it
        long reserved = Math.max(stream, existingStreamMaxBytes);
        // on a small volume the room must not push JetStream's limit past the disk: a sixteenth of it at most
        return new StorageBudget(stream, reserved + Math.clamp(available / 16, SMALLEST_STREAM, ROOM_FOR_BUCKETS));
    }

    /** The budget for the broker store directory {@code storeDirectory} (created if missing). */
    public static StorageBudget forStore(Path storeDirectory, Settings settings) {
        try {
            Files.createDirectories(storeDirectory);
            long usable = Files.getFileStore(storeDirectory).getUsableSpace();
            return plan(usable, sizeOf(storeDirectory), existingStreamMaxBytes(storeDirectory), settings.bytes(Settings.STREAM_MAX_BYTES));
        } catch (IOException e) {
            throw new HitKeepException("cannot measure the free space for " + storeDirectory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The {@code max_bytes} the hit stream was created with, read from its metadata on disk; 0 when there is none.
     * The broker's {@code store_dir} is {@code storeDirectory/jetstream}, and nats-server keeps its streams in a
     * {@code jetstream} folder of its own inside that.
     */
    static long existingStreamMaxBytes(Path storeDirectory) {
        Path meta = storeDirectory.resolve("jetstream").resolve("jetstream").resolve("$G").resolve("streams")
                .resolve(Subjects.HIT_STREAM).resolve("meta.inf");
        try {
            Matcher matcher = MAX_BYTES.matcher(Files.readString(meta));
            return matcher.find() ? Math.max(0, Long.parseLong(matcher.group(1))) : 0;
        } catch (IOException | NumberFormatException absent) {
            return 0;
        }
    }

    static long sizeOf(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException vanished) {
                    return 0;
                }
            }).sum();
        }
    }
}
