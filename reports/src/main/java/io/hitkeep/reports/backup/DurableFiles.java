package io.hitkeep.reports.backup;

import io.hitkeep.core.HitKeepException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * File steps that survive a {@code kill -9} or a power cut: a file is forced to disk before the rename that
 * makes it visible, and the folder after it, so that whatever looks complete is complete. Stateless.
 */
public final class DurableFiles {
    private DurableFiles() {
    }

    /** Forces a file's contents (or a folder's entries) to disk. */
    public static void force(Path path) {
        try (FileChannel channel = FileChannel.open(path, Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force " + path + " to disk", e);
        }
    }

    /** Forces every file below {@code root}, then the folders, so a rename of {@code root} publishes a complete tree. */
    public static void forceTree(Path root) {
        for (Path path : walk(root)) {
            if (Files.isRegularFile(path)) {
                force(path);
            }
        }
        for (Path path : walk(root)) {
            if (Files.isDirectory(path)) {
                force(path);
            }
        }
    }

    /** Renames {@code from} to {@code to} in one step and forces the folder, so the new name survives a crash. */
    public static void publish(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + from + " to " + to, e);
        }
        force(to.toAbsolutePath().getParent());
    }

    /** Copies a file, creating its folders. */
    public static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.toAbsolutePath().getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }

    /** Deletes a file or a folder with everything in it; nothing there is fine. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths = walk(root);
        paths.sort(Comparator.reverseOrder());
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + path, e);
            }
        }
    }

    /** Every path below {@code root}, {@code root} included. */
    public static List<Path> walk(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            return new java.util.ArrayList<>(paths.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** The SHA-256 of a file, in hex. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new HitKeepException("no SHA-256 in this JVM", e);
        }
    }

    /** Whether a folder is missing or has nothing in it. */
    public static boolean emptyOrMissing(Path directory) {
        if (!Files.exists(directory)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }
}
