package io.hitkeep.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;
import java.util.function.ObjLongConsumer;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * The wire format of a JetStream message: a batch of hits that one gateway coalesced from concurrent
 * requests. Binary rather than JSON because the gateway and the writer spend their time here: a version
 * byte, a count, then each hit's {@link #FIELDS} in their order (strings as length-prefixed UTF-8).
 * Thread-safe.
 *
 * <p>A field is only ever added at the end, with the version that added it: version 2 added browser
 * version, OS version and medium, version 3 the engagement time. A message of an older version is read
 * field by field into a {@link Hit.Builder}, the fields it lacks left empty or 0, so messages left in the
 * stream by an older gateway survive an upgrade of the writer.
 */
public final class HitCodec {
    private static final int FIRST_VERSION = 1;

    /** Every field on the wire, in order, each with the version that added it. */
    private static final List<Field> FIELDS = List.of(
            Field.ofLong("timestamp_micros", 1, Hit::timestampMicros, (hit, value) -> hit.timestampMicros = value),
            Field.ofInt("site_id", 1, Hit::siteId, (hit, value) -> hit.siteId = value),
            Field.ofString("hostname", 1, Hit::hostname, (hit, value) -> hit.hostname = value),
            Field.ofString("path", 1, Hit::path, (hit, value) -> hit.path = value),
            Field.ofString("referrer_host", 1, Hit::referrerHost, (hit, value) -> hit.referrerHost = value),
            Field.ofString("source", 1, Hit::source, (hit, value) -> hit.source = value),
            Field.ofString("utm_source", 1, Hit::utmSource, (hit, value) -> hit.utmSource = value),
            Field.ofString("utm_medium", 1, Hit::utmMedium, (hit, value) -> hit.utmMedium = value),
            Field.ofString("utm_campaign", 1, Hit::utmCampaign, (hit, value) -> hit.utmCampaign = value),
            Field.ofString("utm_term", 1, Hit::utmTerm, (hit, value) -> hit.utmTerm = value),
            Field.ofString("utm_content", 1, Hit::utmContent, (hit, value) -> hit.utmContent = value),
            Field.ofString("country", 1, Hit::country, (hit, value) -> hit.country = value),
            Field.ofString("browser", 1, Hit::browser, (hit, value) -> hit.browser = value),
            Field.ofString("os", 1, Hit::os, (hit, value) -> hit.os = value),
            Field.ofString("device", 1, Hit::device, (hit, value) -> hit.device = value),
            Field.ofString("language", 1, Hit::language, (hit, value) -> hit.language = value),
            Field.ofInt("viewport_width", 1, Hit::viewportWidth, (hit, value) -> hit.viewportWidth = value),
            Field.ofLong("visitor_id", 1, Hit::visitorId, (hit, value) -> hit.visitorId = value),
            Field.ofString("session_key", 1, Hit::sessionKey, (hit, value) -> hit.sessionKey = value),
            Field.ofString("event_name", 1, Hit::eventName, (hit, value) -> hit.eventName = value),
            Field.ofString("props_json", 1, Hit::propsJson, (hit, value) -> hit.propsJson = value),
            Field.ofString("browser_version", 2, Hit::browserVersion, (hit, value) -> hit.browserVersion = value),
            Field.ofString("os_version", 2, Hit::osVersion, (hit, value) -> hit.osVersion = value),
            Field.ofString("medium", 2, Hit::medium, (hit, value) -> hit.medium = value),
            Field.ofInt("engaged_millis", 3, Hit::engagedMillis, (hit, value) -> hit.engagedMillis = value));
    /** The version this codec writes: the newest field's. */
    private static final int VERSION = FIELDS.getLast().since();

    private HitCodec() {
    }

    /**
     * The message for these hits, written straight into one array: the gateway's publisher encodes every hit
     * on its one thread, and through {@code DataOutputStream} over a {@code ByteArrayOutputStream} (a
     * synchronized write per field) encoding was about three fifths of that thread's CPU (JFR, bench/run.sh).
     */
    public static byte[] encode(Collection<Hit> hits) {
        Output out = new Output(64 + hits.size() * 160);
        out.writeByte(VERSION);
        out.writeInt(hits.size());
        for (Hit hit : hits) {
            for (Field field : FIELDS) {
                field.write(out, hit);
            }
        }
        return out.toByteArray();
    }

    /**
     * Decodes a message of any version up to this codec's; one it cannot read raises {@link HitKeepException}. Reads
     * straight from the array, as {@link #encode} writes: the writer decodes every hit on its one thread, and through
     * {@code DataInputStream} (a copy per string, a stream call per field) decoding was about a third of that
     * thread's sampled CPU (JFR, bench/run.sh).
     */
    public static List<Hit> decode(byte[] message) {
        Input in = new Input(message);
        int version = in.readUnsignedByte();
        if (version < FIRST_VERSION || version > VERSION) {
            throw new HitKeepException("unknown hit message version " + version);
        }
        int count = in.readInt();
        if (count < 0 || count > message.length) {
            throw new HitKeepException("corrupt hit message: count " + count);
        }
        List<Hit> hits = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Hit.Builder hit = Hit.builder();
            for (Field field : FIELDS) {
                if (field.since() <= version) {
                    field.read(in, hit);
                }
            }
            hits.add(hit.build());
        }
        if (in.remaining() > 0) {
            // bytes after the last hit: not a message this codec wrote (or a newer version mislabelled)
            throw new HitKeepException("corrupt hit message: " + in.remaining() + " bytes after the last hit");
        }
        return hits;
    }

    /** One field of a hit on the wire: its name (for readers of this file), the version that added it, how to write and read it. */
    private record Field(String name, int since, Writer writer, Reader reader) {
        interface Writer {
            void write(Output out, Hit hit);
        }

        interface Reader {
            void read(Input in, Hit.Builder hit);
        }

        void write(Output out, Hit hit) {
            writer.write(out, hit);
        }

        void read(Input in, Hit.Builder hit) {
            reader.read(in, hit);
        }

        static Field ofLong(String name, int since, ToLongFunction<Hit> get, ObjLongConsumer<Hit.Builder> set) {
            return new Field(name, since, (out, hit) -> out.writeLong(get.applyAsLong(hit)), (in, hit) -> set.accept(hit, in.readLong()));
        }

        static Field ofInt(String name, int since, ToIntFunction<Hit> get, ObjIntConsumer<Hit.Builder> set) {
            return new Field(name, since, (out, hit) -> out.writeInt(get.applyAsInt(hit)), (in, hit) -> set.accept(hit, in.readInt()));
        }

        static Field ofString(String name, int since, Function<Hit, String> get, java.util.function.BiConsumer<Hit.Builder, String> set) {
            return new Field(name, since, (out, hit) -> out.writeString(get.apply(hit)), (in, hit) -> set.accept(hit, in.readString()));
        }
    }

    /**
     * A growing byte array that writes as {@code DataOutputStream} does (big-endian numbers) and strings as a
     * length and their UTF-8 bytes. Not thread-safe.
     */
    static final class Output {
        private byte[] bytes;
        private int size;

        Output(int capacity) {
            bytes = new byte[Math.max(16, capacity)];
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        void writeByte(int value) {
            ensure(1);
            bytes[size++] = (byte) value;
        }

        void writeInt(int value) {
            ensure(4);
            bytes[size] = (byte) (value >>> 24);
            bytes[size + 1] = (byte) (value >>> 16);
            bytes[size + 2] = (byte) (value >>> 8);
            bytes[size + 3] = (byte) value;
            size += 4;
        }

        void writeLong(long value) {
            writeInt((int) (value >>> 32));
            writeInt((int) value);
        }

        /** Length-prefixed UTF-8. */
        void writeString(String value) {
            byte[] encoded = value.getBytes(StandardCharsets.UTF_8);
            writeInt(encoded.length);
            ensure(encoded.length);
            System.arraycopy(encoded, 0, bytes, size, encoded.length);
            size += encoded.length;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(bytes, size);
        }
    }

    /** Reads what {@link Output} writes, from one array; a read past its end means a corrupt message. Not thread-safe. */
    static final class Input {
        private final byte[] bytes;
        private int position;

        Input(byte[] bytes) {
            this.bytes = bytes;
        }

        private int take(int length) {
            if (length < 0 || length > bytes.length - position) {
                throw new HitKeepException("corrupt hit message: " + length + " bytes wanted at " + position + " of " + bytes.length);
            }
            int at = position;
            position += length;
            return at;
        }

        int readUnsignedByte() {
            return bytes[take(1)] & 0xff;
        }

        int readInt() {
            int at = take(4);
            return (bytes[at] & 0xff) << 24 | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8 | bytes[at + 3] & 0xff;
        }

        long readLong() {
            return (long) readInt() << 32 | readInt() & 0xffffffffL;
        }

        /** Length-prefixed UTF-8. */
        String readString() {
            int length = readInt();
            return length == 0 ? "" : new String(bytes, take(length), length, StandardCharsets.UTF_8);
        }

        int remaining() {
            return bytes.length - position;
        }
    }
}
