package io.hitkeep.writer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Removes the copy of DuckDB's native library that its JDBC driver unpacks into the temporary folder
 * ({@code /tmp/libduckdb_java<random>.so}, about 70 MB) once this process has loaded it. The driver only marks
 * the copy for deletion at a normal exit, so every process that was killed (an out-of-memory kill, {@code kill -9},
 * a container stopped hard) left one behind: a test run here had left 113 of them, 11 GB. On Linux a loaded library
 * stays mapped after its file is unlinked, so the file can go at once. Elsewhere (no {@code /proc/self/maps}) nothing
 * is done. Thread-safe; does its work once per process.
 */
final class NativeLibraryFile {
    private static final Logger LOG = Logger.getLogger(NativeLibraryFile.class.getName());
    private static final Path MAPS = Path.of("/proc/self/maps");
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private NativeLibraryFile() {
    }

    /** Deletes this process's unpacked copy of DuckDB's library, if it is still there; call after a connection opened. */
    static void removeUnpackedCopy() {
        if (!Files.isReadable(MAPS) || !DONE.compareAndSet(false, true)) {
            return;
        }
        try {
            for (Path copy : unpackedCopies(Files.readAllLines(MAPS), Path.of(System.getProperty("java.io.tmpdir")))) {
                Files.deleteIfExists(copy);
                LOG.fine(() -> "removed " + copy + " (loaded; unlinked so that a killed process leaves no copy behind)");
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "could not remove the unpacked DuckDB library", e);
        }
    }

    /** The paths in {@code maps} (the lines of {@code /proc/self/maps}) of the driver's unpacked copies in {@code tmp}. */
    static List<Path> unpackedCopies(List<String> maps, Path tmp) {
        return maps.stream()
                .map(line -> line.indexOf('/') < 0 ? "" : line.substring(line.indexOf('/')))
                .filter(path -> !path.endsWith(" (deleted)"))
                .map(Path::of)
                .filter(path -> tmp.equals(path.getParent()))
                .filter(path -> path.getFileName().toString().matches("libduckdb_java\\d*\\.so"))
                .distinct()
                .toList();
    }
}
