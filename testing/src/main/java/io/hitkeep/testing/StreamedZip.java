package io.hitkeep.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Zips files the way Plausible streams its CSV export out (with the Elixir library Zstream): entries
 * stored, not deflated, with zero sizes in their local headers and the CRC-32 and sizes in a data
 * descriptor after each entry (general purpose flag bit 3), then the central directory. Java's
 * {@code ZipInputStream} cannot read such a zip; an importer must. Thread-safe: no state.
 */
public final class StreamedZip {
    private StreamedZip() {
    }

    /** The zip of {@code files} (name to content), in the map's order. */
    public static byte[] of(Map<String, byte[]> files) {
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        record Written(byte[] name, long crc, int size, int offset) {
        }
        List<Written> written = new ArrayList<>();
        files.forEach((name, content) -> {
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            CRC32 crc = new CRC32();
            crc.update(content);
            int offset = zip.size();
            int32(zip, 0x04034b50);
            int16(zip, 20);
            int16(zip, 0x0808); // data descriptor follows; UTF-8 names
            int16(zip, 0); // stored
            int32(zip, 0); // time and date
            int32(zip, 0); // CRC-32, in the descriptor
            int32(zip, 0); // sizes, in the descriptor
            int32(zip, 0);
            int16(zip, nameBytes.length);
            int16(zip, 0);
            zip.writeBytes(nameBytes);
            zip.writeBytes(content);
            int32(zip, 0x08074b50);
            int32(zip, (int) crc.getValue());
            int32(zip, content.length);
            int32(zip, content.length);
            written.add(new Written(nameBytes, crc.getValue(), content.length, offset));
        });
        int directory = zip.size();
        for (Written entry : written) {
            int32(zip, 0x02014b50);
            int16(zip, 52);
            int16(zip, 20);
            int16(zip, 0x0808);
            int16(zip, 0);
            int32(zip, 0);
            int32(zip, (int) entry.crc());
            int32(zip, entry.size());
            int32(zip, entry.size());
            int16(zip, entry.name().length);
            int16(zip, 0);
            int16(zip, 0);
            int16(zip, 0);
            int16(zip, 0);
            int32(zip, 0);
            int32(zip, entry.offset());
            zip.writeBytes(entry.name());
        }
        int directorySize = zip.size() - directory;
        int32(zip, 0x06054b50);
        int16(zip, 0);
        int16(zip, 0);
        int16(zip, written.size());
        int16(zip, written.size());
        int32(zip, directorySize);
        int32(zip, directory);
        int16(zip, 0);
        return zip.toByteArray();
    }

    private static void int16(ByteArrayOutputStream out, int value) {
        out.write(value & 0xff);
        out.write(value >>> 8 & 0xff);
    }

    private static void int32(ByteArrayOutputStream out, int value) {
        int16(out, value & 0xffff);
        int16(out, value >>> 16 & 0xffff);
    }
}
