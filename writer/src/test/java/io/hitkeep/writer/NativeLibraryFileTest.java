package io.hitkeep.writer;

import io.hitkeep.core.Settings;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A process that opened the database leaves no unpacked copy of DuckDB's library behind, even if it is killed. */
class NativeLibraryFileTest {
    @Test
    void theDriversCopiesAreFoundInTheMapsAndNothingElse() {
        List<String> maps = List.of(
                "7f448ed56000-7f44918c0000 r-xp 00000000 fd:01 123 /tmp/libduckdb_java2144543118224466615.so",
                "7f449197e000-7f4492334000 r--p 02b68000 fd:01 123 /tmp/libduckdb_java2144543118224466615.so",
                "7f4493000000-7f4493400000 r-xp 00000000 fd:01 124 /tmp/libduckdb_java99.so (deleted)",
                "7f44a8a00000-7f44a8ce3000 r--p 00000000 fd:01 125 /usr/lib/jvm/temurin-25/lib/server/libjvm.so",
                "7f44aa000000-7f44aa100000 r-xp 00000000 fd:01 126 /opt/lib/libduckdb_java123.so",
                "7f44ab000000-7f44ab100000 rw-p 00000000 00:00 0 ");
        assertEquals(List.of(Path.of("/tmp/libduckdb_java2144543118224466615.so")),
                NativeLibraryFile.unpackedCopies(maps, Path.of("/tmp")));
    }

    @Test
    void afterOpeningTheDatabaseItsLibraryIsMappedButNoLongerAFile() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "Linux only");
        Path data = TempFiles.directory("hk-native-");
        try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, data.toString())))) {
            List<String> lines = Files.readAllLines(maps);
            assertTrue(lines.stream().anyMatch(line -> line.contains("libduckdb_java")), "DuckDB's library is loaded");
            assertEquals(List.of(), NativeLibraryFile.unpackedCopies(lines, Path.of(System.getProperty("java.io.tmpdir"))),
                    "its unpacked copy is unlinked");
            assertEquals(1, HitWriterTest.count(database, "SELECT 1"), "and DuckDB still works");
        } finally {
            TempFiles.deleteTree(data);
        }
    }
}
