package io.hitkeep.core;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The wire format of a JetStream message: a batch of hits that one gateway coalesced from concurrent
 * requests. Binary rather than JSON because the gateway and the writer spend their time here: a version
 * byte, a count, then each hit's fields in record order (strings as length-prefixed UTF-8). Thread-safe.
 *
 * <p>Version 2 appended browser version, OS version and medium; version 3 the engagement time. Older
 * versions are still read (the missing fields empty or 0), so messages left in the stream by an older
 * gateway survive an upgrade of the writer.
 */
public final class HitCodec {
    private static final int VERSION = 3;
    private static final int FIRST_VERSION = 1;

    private HitCodec() {
    }

    public static byte[] encode(Collection<Hit> hits) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + hits.size() * 160);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(VERSION);
            out.writeInt(hits.size());
            for (Hit hit : hits) {
                out.writeLong(hit.timestampMicros());
                out.writeInt(hit.siteId());
                writeString(out, hit.hostname());
                writeString(out, hit.path());
                writeString(out, hit.referrerHost());
                writeString(out, hit.source());
                writeString(out, hit.utmSource());
                writeString(out, hit.utmMedium());
                writeString(out, hit.utmCampaign());
                writeString(out, hit.utmTerm());
                writeString(out, hit.utmContent());
                writeString(out, hit.country());
                writeString(out, hit.browser());
                writeString(out, hit.os());
                writeString(out, hit.device());
                writeString(out, hit.language());
                out.writeInt(hit.viewportWidth());
                out.writeLong(hit.visitorId());
                writeString(out, hit.sessionKey());
                writeString(out, hit.eventName());
                writeString(out, hit.propsJson());
                writeString(out, hit.browserVersion());
                writeString(out, hit.osVersion());
                writeString(out, hit.medium());
                out.writeInt(hit.engagedMillis());
            }
        } catch (IOException e) {
            throw new HitKeepException("cannot encode hits", e);
        }
        return buffer.toByteArray();
    }

    /** Decodes a message; a message this version cannot read raises {@link HitKeepException}. */
    public static List<Hit> decode(byte[] message) {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(message))) {
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
                // arguments are evaluated left to right: the stream's order
                hits.add(new Hit(in.readLong(), in.readInt(), readString(in), readString(in), readString(in),
                        readString(in), readString(in), readString(in), readString(in), readString(in),
                        readString(in), readString(in), readString(in), readString(in), readString(in),
                        readString(in), in.readInt(), in.readLong(), readString(in), readString(in),
                        readString(in),
                        version >= 2 ? readString(in) : "", version >= 2 ? readString(in) : "",
                        version >= 2 ? readString(in) : "",
                        version >= 3 ? in.readInt() : 0));
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
