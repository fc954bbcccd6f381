package io.hitkeep.app;

import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jar's commands with bad input, each in its own JVM: a clear message, the right exit code (2 for a wrong
 * command line, 1 for a failure) and nothing half-written; and {@code --help}, {@code config check} and the
 * operator's {@code user} and {@code export} commands on a stopped installation.
 */
class CliIT {
    private static final String SECRET = "cli-test-secret-0123456789abcdef0123456789abc";

    @Test
    void wrongCommandLinesExitWithTwo() {
        Map<String, String> environment = Map.of("HITKEEP_DATA_PATH", TempFiles.directory("hk-cli-").toString());
        for (List<String> command : List.of(List.of("frobnicate"), List.of("backup", "--frob=1"), List.of("restore"),
                List.of("export", "--site=1", "--from=2020-01-01", "--to=2020-01-31", "--format=xlsx"),
                List.of("export", "--site=1", "--from=2010-01-01", "--to=2020-01-31"),
                List.of("user", "create", "--email=not-an-address"), List.of("backup", "--keep=-1", "--to=/tmp/x"))) {
            JarCommand run = JarCommand.run(environment, command.toArray(String[]::new));
            assertEquals(2, run.exitCode(), command + ": " + run.err());
            assertFalse(run.err().isBlank(), command + " says why");
        }
        JarCommand help = JarCommand.run(environment, "backup", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("usage: java -jar hitkeep.jar backup"), help.out());
        assertEquals(0, JarCommand.run(environment, "--help").exitCode());
    }

    @Test
    void failuresExitWithOneAndLeaveNothingBehind() throws Exception {
        Path data = TempFiles.directory("hk-cli-data-");
        Path scratch = TempFiles.directory("hk-cli-scratch-");
        Map<String, String> environment = Map.of("HITKEEP_DATA_PATH", data.toString(), "HITKEEP_JWT_SECRET", SECRET);
        try {
            JarCommand created = JarCommand.run(environment, "user", "create", "--email=operator@example.com");
            assertEquals(0, created.exitCode(), created.err());
            assertTrue(created.out().contains("password (shown once): "), created.out());
            assertEquals(1, JarCommand.run(environment, "user", "create", "--email=operator@example.com").exitCode(), "a taken address");
            assertEquals(0, JarCommand.run(environment, "user", "reset-password", "--email=operator@example.com").exitCode());
            assertEquals(1, JarCommand.run(environment, "user", "reset-password", "--email=nobody@example.com").exitCode());

            // a target below a file cannot be made
            Path aFile = Files.writeString(scratch.resolve("a-file"), "x");
            JarCommand unwritable = JarCommand.run(environment, "backup", "--to", aFile.resolve("backups").toString());
            assertEquals(1, unwritable.exitCode(), unwritable.err());
            assertTrue(unwritable.err().contains("cannot be created"), unwritable.err());
            assertEquals(List.of("a-file"), names(scratch));

            JarCommand backup = JarCommand.run(environment, "backup", "--to", scratch.resolve("backups").toString());
            assertEquals(0, backup.exitCode(), backup.err());
            Path occupied = Files.createDirectories(scratch.resolve("occupied"));
            Files.writeString(occupied.resolve("keep.txt"), "mine");
            JarCommand restore = JarCommand.run(with(environment, "HITKEEP_DATA_PATH", occupied.toString()), "restore", "--from",
                    scratch.resolve("backups").toString());
            assertEquals(1, restore.exitCode());
            assertTrue(restore.err().contains("not empty"), restore.err());
            assertEquals(List.of("keep.txt"), names(occupied));
            assertEquals(List.of("a-file", "backups", "occupied"), names(scratch), "no restore left half-made");

            // the documented step (it was refused as an unknown command): nothing to roll in a new installation
            JarCommand rollups = JarCommand.run(environment, "rebuild-rollups");
            assertEquals(0, rollups.exitCode(), rollups.err());
            assertTrue(rollups.out().startsWith("rolled 0 days in "), rollups.out());

            JarCommand export = JarCommand.run(environment, "export", "--site=1", "--from=2026-01-01", "--to=2026-01-31",
                    "--out", scratch.resolve("out.csv").toString());
            assertEquals(1, export.exitCode(), "no site 1 yet: " + export.err());
            assertFalse(Files.exists(scratch.resolve("out.csv")));
            assertFalse(Files.exists(scratch.resolve(".out.csv.partial")));
        } finally {
            TempFiles.deleteTree(data);
            TempFiles.deleteTree(scratch);
        }
    }

    @Test
    void configCheckMasksSecretsAndListsWrongValues() {
        Map<String, String> good = Map.of("HITKEEP_DATA_PATH", TempFiles.directory("hk-cli-cfg-").toString(), "HITKEEP_JWT_SECRET", SECRET,
                "HITKEEP_SMTP_PASSWORD", "smtp-secret-value");
        JarCommand valid = JarCommand.run(good, "config", "check", "--http-port=9090");
        assertEquals(0, valid.exitCode(), valid.err());
        assertTrue(valid.out().contains("http-port") && valid.out().contains("9090"), valid.out());
        assertFalse(valid.out().contains(SECRET) || valid.out().contains("smtp-secret-value"), "secrets are masked: " + valid.out());
        assertTrue(valid.out().contains("********"));

        Map<String, String> bad = with(with(good, "HITKEEP_JWT_SECRET", "short-secret"), "HITKEEP_STREAM_MAX_AGE", "soon");
        JarCommand invalid = JarCommand.run(bad, "config", "check", "--http-port=99999");
        assertEquals(1, invalid.exitCode());
        for (String wrong : List.of("jwt-secret", "stream-max-age", "http-port")) {
            assertTrue(invalid.err().contains("wrong: " + wrong), wrong + ": " + invalid.err());
        }
        assertFalse((invalid.out() + invalid.err()).contains("short-secret"), "a wrong secret is not repeated either");
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private static Map<String, String> with(Map<String, String> environment, String name, String value) {
        Map<String, String> copy = new HashMap<>(environment);
        copy.put(name, value);
        return copy;
    }
}
