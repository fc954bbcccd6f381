package io.hitkeep.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code nats-server} program the jar carries (Debian's, copied in by {@code app/src/build/fetch-nats-server.sh}),
 * for machines without one installed. Unpacks it into a directory, checks its SHA256 against the one recorded at
 * build time, and makes it executable. Stateless; thread-safe.
 */
final class EmbeddedProgram {
    private static final String RESOURCES = "io/hitkeep/core/nats-server/";

    private EmbeddedProgram() {
    }

    /** The resource folder for this machine, e.g. {@code linux-amd64}; empty on a platform the jar has no program for. */
    static Optional<String> platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> "";
        };
        return os.startsWith("linux") && !arch.isEmpty() ? Optional.of("linux-" + arch) : Optional.empty();
    }

    /** Whether this jar carries a program for this machine. */
    static boolean available() {
        return platform().map(p -> resource(p + "/nats-server") != null).orElse(false);
    }

    /**
     * Writes the carried program to {@code directory/nats-server} unless an identical one is there already, and
     * returns its path; empty when the jar carries none for this platform.
     */
    static Optional<Path> unpack(Path directory) {
        Optional<String> platform = platform().filter(p -> resource(p + "/nats-server") != null);
        if (platform.isEmpty()) {
            return Optional.empty();
        }
        String folder = platform.get();
        try {
            String expected = readResource(folder + "/nats-server.sha256").trim();
            Path program = directory.resolve("nats-server");
            if (Files.isExecutable(program) && expected.equals(sha256(program))) {
                return Optional.of(program);
            }
            Files.createDirectories(directory);
            // a temporary file and a rename: a server still running the old file (a leftover of a killed JVM)
            // keeps its copy, and a crash halfway leaves no half-written program under the real name
            Path partial = Files.createTempFile(directory, "nats-server", ".partial");
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                try (InputStream in = new DigestInputStream(resource(folder + "/nats-server"), digest);
                     OutputStream out = Files.newOutputStream(partial)) {
                    in.transferTo(out);
                }
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(expected)) {
                    throw new HitKeepException("the nats-server carried in the jar is damaged (SHA256 " + actual
                            + ", built with " + expected + "); rebuild the jar or set HITKEEP_NATS_SERVER_BIN");
                }
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(partial, program, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            return Optional.of(program);
        } catch (IOException e) {
            throw new HitKeepException("cannot unpack nats-server into " + directory + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The Debian package version of the carried program, for the log. */
    static String version() {
        return platform().map(p -> {
            try {
                return readResource(p + "/VERSION").trim();
            } catch (IOException | RuntimeException e) {
                return "unknown";
            }
        }).orElse("none");
    }

    private static InputStream resource(String name) {
        return EmbeddedProgram.class.getClassLoader().getResourceAsStream(RESOURCES + name);
    }

    private static String readResource(String name) throws IOException {
        try (InputStream in = resource(name)) {
            if (in == null) {
                throw new IOException("the jar has no " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
