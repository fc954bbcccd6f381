package io.hitkeep.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePagesTest {
    private static final int SIZE = 16 << 20;
    /** A mapping's first line in smaps; the lines after it are its figures ({@code Rss:    1234 kB}). */
    private static final Pattern MAPPING = Pattern.compile("[0-9a-f]+-[0-9a-f]+ ");

    @Test
    void aMappedFilesPagesLeaveTheResidentSetAndReadBackTheSame(@TempDir Path folder) throws IOException {
        assumeTrue(FilePages.supported(), "needs Linux 5.4+ and Java 22+");
        byte[] contents = new byte[SIZE];
        new Random(42).nextBytes(contents);
        Path file = folder.resolve("mapped.bin");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(contents));
            channel.force(true);  // clean pages: the kernel reclaims a dirty file page only once written back
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, SIZE);
            byte[] read = new byte[SIZE];
            mapped.get(0, read);  // every page resident
            long before = residentKib(file);
            assertTrue(before >= SIZE / 1024 * 9 / 10, "resident before: " + before + " KiB");

            assertTrue(FilePages.release() > 0);

            long after = residentKib(file);
            assertTrue(after < before / 4, "resident after the release: " + after + " of " + before + " KiB");
            mapped.get(0, read);
            assertArrayEquals(contents, read);
        }
    }

    @Test
    void onlyLinesThatMapAFileGiveARange() {
        Optional<long[]> library = FilePages.fileRange(
                "7f3c0a000000-7f3c0a200000 r-xp 00001000 fd:01 1234        /usr/lib/x86_64-linux-gnu/libx.so.6");
        assertTrue(library.isPresent());
        assertEquals(0x7f3c0a000000L, library.get()[0]);
        assertEquals(0x7f3c0a200000L, library.get()[1]);
        assertTrue(FilePages.fileRange("7f3c0a000000-7f3c0a200000 r-xp 00000000 00:00 0 /anon_hugepage (deleted)").isEmpty());
        assertTrue(FilePages.fileRange("7f3c0a000000-7f3c0a200000 rw-p 00000000 00:00 0").isEmpty());
        assertTrue(FilePages.fileRange("7ffd1c5e2000-7ffd1c603000 rw-p 00000000 00:00 0                          [stack]").isEmpty());
        assertTrue(FilePages.fileRange("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]").isEmpty());
        assertTrue(FilePages.fileRange("garbage").isEmpty());
        assertTrue(FilePages.fileRange("7f3c0a200000-7f3c0a000000 r--p 00000000 fd:01 1234 /usr/lib/backwards.so").isEmpty());
        // a path with spaces stays one field
        assertTrue(FilePages.fileRange("7f3c0a000000-7f3c0a200000 r--p 00000000 fd:01 99 /tmp/my data/file.bin").isPresent());
    }

    /** The resident KiB of this process's mappings of {@code file}, from {@code /proc/self/smaps}. */
    private static long residentKib(Path file) throws IOException {
        String path = file.toRealPath().toString();
        long kib = 0;
        boolean inFile = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            if (MAPPING.matcher(line).lookingAt()) {
                inFile = line.endsWith(" " + path);
            } else if (inFile && line.startsWith("Rss:")) {
                kib += Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return kib;
    }
}
