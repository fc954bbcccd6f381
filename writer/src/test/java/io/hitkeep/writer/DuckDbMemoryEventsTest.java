package io.hitkeep.writer;

import io.hitkeep.core.Settings;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opening the database leaves Java Flight Recorder alone: JFR's metadata repository, which a registered event sets
 * up, is never loaded. Checked in a JVM of its own, with the JVM's log of the classes it loads: in this one, another
 * test may have loaded DuckDB's driver first.
 */
class DuckDbMemoryEventsTest {
    @Test
    void openingTheDatabaseDoesNotSetUpFlightRecorder() throws Exception {
        String loaded = runAlone("skip");
        assertTrue(loaded.contains("opened"), loaded);
        assertFalse(loaded.contains(JFR_SET_UP), "JFR was set up");
    }

    /** Without the skip, the driver does set it up: the check above can fail. */
    @Test
    void theDriverAloneSetsItUp() throws Exception {
        String loaded = runAlone("driver");
        assertTrue(loaded.contains("opened"), loaded);
        assertTrue(loaded.contains(JFR_SET_UP), "JFR was not set up");
    }

    /** The class a registered event loads, in {@code -Xlog:class+load}'s words. */
    private static final String JFR_SET_UP = "jdk.jfr.internal.MetadataRepository ";

    /** The child's output: the classes it loaded, then what it says. */
    private static String runAlone(String mode) throws IOException, InterruptedException {
        Path data = TempFiles.directory("hk-jfr-");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED",
                "-Xlog:class+load=info:stdout", Opener.class.getName(), mode, data.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM ends");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    /** The child: opens the database as the writer does ("skip"), or the driver by itself first ("driver"). */
    public static final class Opener {
        public static void main(String[] args) throws Exception {
            if (args[0].equals("driver")) {
                java.sql.DriverManager.getConnection("jdbc:duckdb:").close();
            }
            try (Database database = Database.open(Settings.of(Map.of(Settings.DATA_PATH, args[1])))) {
                System.out.println("opened");
            }
        }
    }
}
