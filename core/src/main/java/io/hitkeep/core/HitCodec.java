package io.hitkeep.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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

    public static byte[] encode(Collection<Hit> hits) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + hits.size() * 160);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(VERSION);
            out.writeInt(hits.size());
            for (Hit hit : hits) {
                for (Field field : FIELDS) {
                    field.write(out, hit);
                }
            }
        } catch (IOException e) {
            throw new HitKeepException("cannot encode hits", e);
        }
        return buffer.toByteArray();
    }

    /** Decodes a message of any version up to this codec's; one it cannot read raises {@link HitKeepException}. */
    public static List<Hit> decode(byte[] message) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
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
            if (in.available() > 0) {
                // bytes after the last hit: not a message this codec wrote (or a newer version mislabelled)
                throw new HitKeepException("corrupt hit message: " + in.available() + " bytes after the last hit");
            }
            return hits;
        } catch (IOException e) {
            throw new HitKeepException("corrupt hit message", e);
        }
    }

    /** One field of a hit on the wire: its name (for readers of this file), the version that added it, how to write and read it. */
    private record Field(String name, int since, Writer writer, Reader reader) {
        interface Writer {
            void write(DataOutputStream out, Hit hit) throws IOException;
        }

        interface Reader {
            void read(DataInputStream in, Hit.Builder hit) throws IOException;
        }

        void write(DataOutputStream out, Hit hit) throws IOException {
            writer.write(out, hit);
        }

        void read(DataInputStream in, Hit.Builder hit) throws IOException {
            reader.read(in, hit);
        }

        static Field ofLong(String name, int since, ToLongFunction<Hit> get, ObjLongConsumer<Hit.Builder> set) {
            return new Field(name, since, (out, hit) -> out.writeLong(get.applyAsLong(hit)), (in, hit) -> set.accept(hit, in.readLong()));
        }

        static Field ofInt(String name, int since, ToIntFunction<Hit> get, ObjIntConsumer<Hit.Builder> set) {
            return new Field(name, since, (out, hit) -> out.writeInt(get.applyAsInt(hit)), (in, hit) -> set.accept(hit, in.readInt()));
        }

        static Field ofString(String name, int since, Function<Hit, String> get, java.util.function.BiConsumer<Hit.Builder, String> set) {
            return new Field(name, since, (out, hit) -> writeString(out, get.apply(hit)), (in, hit) -> set.accept(hit, readString(in)));
        }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == 0) {
            return "";
        }
        if (length < 0 || length > in.available()) {
            throw new IOException("corrupt string length " + length);
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
