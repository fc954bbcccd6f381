package io.hitkeep.query;

import io.hitkeep.testing.StreamedZip;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Zips as Plausible streams them (stored entries, sizes in a data descriptor after each: what Java's
 * ZipInputStream refuses) and as desktop tools write them (deflated, or stored with sizes), read entry by
 * entry from a stream.
 */
class ZipEntriesTest {
    private static final Map<String, byte[]> FILES = new LinkedHashMap<>();

    static {
        FILES.put("imported_visitors_20240101_20240102.csv", "date,visitors\n2024-01-01,3\n".getBytes(StandardCharsets.UTF_8));
        // the descriptor's signature inside an entry, followed by sizes that do not match: still content
        FILES.put("dir/tricky.csv", "a,b\nPK\u0007\u0008\u0001\u0000\u0000\u0000\u0002\u0000\u0000\u0000\u0002\u0000\u0000\u0000 end\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        FILES.put("empty.csv", new byte[0]);
        FILES.put("big.csv", "2024-01-01,1,2,3\n".repeat(5000).getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> read(byte[] zip) throws IOException {
        ZipEntries entries = new ZipEntries(new ByteArrayInputStream(zip));
        Map<String, String> read = new LinkedHashMap<>();
        for (Optional<ZipEntries.Entry> entry = entries.next(); entry.isPresent(); entry = entries.next()) {
            read.put(entry.get().name(), new String(entry.get().content().readAllBytes(), StandardCharsets.ISO_8859_1));
        }
        return read;
    }

    private static Map<String, String> expected() {
        Map<String, String> expected = new LinkedHashMap<>();
        FILES.forEach((name, content) -> expected.put(name, new String(content, StandardCharsets.ISO_8859_1)));
        return expected;
    }

    @Test
    void storedEntriesWithDataDescriptorsAsPlausibleWritesThem() throws IOException {
        assertEquals(expected(), read(StreamedZip.of(FILES)));
    }

    @Test
    void deflatedAndStoredEntriesAsDesktopToolsWriteThem() throws IOException {
        for (int method : List.of(ZipEntry.DEFLATED, ZipEntry.STORED)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                for (Map.Entry<String, byte[]> file : FILES.entrySet()) {
                    ZipEntry entry = new ZipEntry(file.getKey());
                    entry.setMethod(method);
                    if (method == ZipEntry.STORED) {
                        CRC32 crc = new CRC32();
                        crc.update(file.getValue());
                        entry.setSize(file.getValue().length);
                        entry.setCrc(crc.getValue());
                    }
                    zip.putNextEntry(entry);
                    zip.write(file.getValue());
                    zip.closeEntry();
                }
            }
            assertEquals(expected(), read(bytes.toByteArray()), "method " + method);
        }
    }

    @Test
    void aSkippedEntryIsPassedOver() throws IOException {
        ZipEntries entries = new ZipEntries(new ByteArrayInputStream(StreamedZip.of(FILES)));
        List<String> names = new ArrayList<>();
        for (Optional<ZipEntries.Entry> entry = entries.next(); entry.isPresent(); entry = entries.next()) {
            names.add(entry.get().name());
        }
        assertEquals(new ArrayList<>(FILES.keySet()), names);
    }

    @Test
    void aDamagedOrTruncatedZipIsRefused() {
        byte[] zip = StreamedZip.of(Map.of("a.csv", "hello, world\n".getBytes(StandardCharsets.UTF_8)));
        byte[] damaged = zip.clone();
        damaged[30 + "a.csv".length() + 2] ^= 1; // a byte of the content: its CRC-32 no longer matches
        assertThrows(ZipException.class, () -> read(damaged));
        byte[] truncated = java.util.Arrays.copyOf(zip, 40);
        assertThrows(IOException.class, () -> read(truncated));
        assertThrows(ZipException.class, () -> read("not a zip at all".getBytes(StandardCharsets.UTF_8)));
    }
}
