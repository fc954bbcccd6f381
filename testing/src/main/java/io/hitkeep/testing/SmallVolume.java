package io.hitkeep.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A volume of a given size for full-disk tests: a tmpfs mounted on a fresh directory. Mounting needs root;
 * elsewhere the calling test is skipped (an assumption), not failed. {@link #close()} unmounts lazily (a
 * server just stopped may hold a file a moment longer) and removes the directory.
 */
public final class SmallVolume implements AutoCloseable {
    private final Path temporary;
    private final Path path;

    private SmallVolume(Path temporary, Path path) {
        this.temporary = temporary;
        this.path = path;
    }

    /** Mounts a tmpfs of {@code size} (as mount takes it: {@code 64m}); skips the test when that is not possible. */
    public static SmallVolume mount(String size) throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: mounting a tmpfs needs root (run the tests as root to include the full-disk cases)");
        Path temporary = TempFiles.directory("hk-volume-");
        Path path = Files.createDirectory(temporary.resolve("volume"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", path.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        boolean mounted = mount.waitFor() == 0;
        if (!mounted) {
            TempFiles.deleteTree(temporary);
        }
        assumeTrue(mounted, "skipped: cannot mount a tmpfs here: " + output);
        return new SmallVolume(temporary, path);
    }

    public Path path() {
        return path;
    }

    /** Writes a file until the volume is full. */
    public static void fill(Path filler) throws IOException {
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("umount", "-l", path.toString()).start().waitFor();
        TempFiles.deleteTree(temporary);
    }
}
