package io.hitkeep.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {
    @TempDir
    Path directory;

    private Path yaml(String text) throws IOException {
        Path file = directory.resolve("hitkeep.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void flagBeatsEnvironmentBeatsYaml() throws IOException {
        Path file = yaml("""
                http-port: 7001
                data-path: /from/yaml
                public-url: https://yaml.example.com
                """);
        Settings settings = Settings.load(new String[] {"--config=" + file, "--http-port=9001"},
                Map.of("HITKEEP_HTTP_PORT", "8001", "HITKEEP_DATA_PATH", "/from/env"));

        assertEquals(9001, settings.httpPort(), "flag over environment and file");
        assertEquals(Path.of("/from/env"), settings.dataPath(), "environment over file");
        assertEquals("https://yaml.example.com", settings.value(Settings.PUBLIC_URL).orElseThrow(), "file alone");
    }

    @Test
    void environmentNameBecomesDashedKey() {
        Settings settings = Settings.load(new String[0],
                Map.of("HITKEEP_NATS_SERVER_BIN", "/opt/nats-server", "HITKEEP_TRUSTED_PROXIES", "10.0.0.0/8",
                        "PATH", "/usr/bin", "HITKEEP_PUBLIC_URL", ""));

        assertEquals("/opt/nats-server", settings.value(Settings.NATS_SERVER_BIN).orElseThrow());
        assertEquals("10.0.0.0/8", settings.value(Settings.TRUSTED_PROXIES).orElseThrow());
        assertTrue(settings.value("path").isEmpty(), "variables without the HITKEEP_ prefix are not settings");
        assertTrue(settings.value(Settings.PUBLIC_URL).isEmpty(), "an empty variable is unset");
    }

    @Test
    void configFileFromEnvironment() throws IOException {
        Path file = yaml("jwt-secret: from-the-file\n");

        Settings settings = Settings.load(new String[0], Map.of("HITKEEP_CONFIG", file.toString()));

        assertEquals("from-the-file", settings.value(Settings.JWT_SECRET).orElseThrow());
    }

    @Test
    void missingConfigFileIsAnError() {
        Path missing = directory.resolve("absent.yaml");

        HitKeepException error = assertThrows(HitKeepException.class,
                () -> Settings.load(new String[] {"--config=" + missing}, Map.of()));

        assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
    }

    @Test
    void flagWithoutValueIsTrueAndPositionalArgumentIsRefused() {
        assertEquals("true", Settings.load(new String[] {"--verbose"}, Map.of()).value("verbose").orElseThrow());

        HitKeepException error = assertThrows(HitKeepException.class,
                () -> Settings.load(new String[] {"http-port=1"}, Map.of()));
        assertTrue(error.getMessage().contains("http-port=1"), error.getMessage());
    }

    @Test
    void flagValueMayContainEquals() {
        Settings settings = Settings.load(new String[] {"--jwt-secret=a=b=c"}, Map.of());

        assertEquals("a=b=c", settings.value(Settings.JWT_SECRET).orElseThrow());
    }

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({
            "200ms, 200",
            "5s,    5000",
            "2m,    120000",
            "1h,    3600000",
            "1d,    86400000",
            "250,   250",
            "' 3S ', 3000",
    })
    void durations(String text, long millis) {
        Settings settings = Settings.of(Map.of("flush-interval", text));

        assertEquals(Duration.ofMillis(millis), settings.duration("flush-interval", Duration.ZERO));
    }

    @ParameterizedTest(name = "{0} is {1} bytes")
    @CsvSource({
            "1048576,  1048576",
            "512MB,    536870912",
            "512M,     536870912",
            "2GiB,     2147483648",
            "' 1g ',   1073741824",
            "64kb,     65536",
    })
    void sizes(String text, long bytes) {
        assertEquals(bytes, Settings.of(Map.of(Settings.STREAM_MAX_BYTES, text)).bytes(Settings.STREAM_MAX_BYTES).orElseThrow());
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"lots", "1.5GB", "-1", "0", "GB", "99999999999G"})
    void badSizeNamesTheKey(String text) {
        Settings settings = Settings.of(Map.of(Settings.STREAM_MAX_BYTES, text));

        HitKeepException error = assertThrows(HitKeepException.class, () -> settings.bytes(Settings.STREAM_MAX_BYTES));
        assertTrue(error.getMessage().contains(Settings.STREAM_MAX_BYTES), error.getMessage());
    }

    @Test
    void missingDurationIsTheFallback() {
        assertEquals(Duration.ofSeconds(7), Settings.of(Map.of()).duration("flush-interval", Duration.ofSeconds(7)));
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"5 s", "ms", "fast", "1.5s", "10w"})
    void badDurationNamesTheKey(String text) {
        Settings settings = Settings.of(Map.of("flush-interval", text));

        HitKeepException error = assertThrows(HitKeepException.class,
                () -> settings.duration("flush-interval", Duration.ZERO));
        assertTrue(error.getMessage().contains("flush-interval"), error.getMessage());
    }

    @Test
    void badIntNamesTheKey() {
        Settings settings = Settings.load(new String[] {"--http-port=eighty"}, Map.of());

        HitKeepException error = assertThrows(HitKeepException.class, settings::httpPort);
        assertTrue(error.getMessage().contains(Settings.HTTP_PORT), error.getMessage());
        assertTrue(error.getMessage().contains("eighty"), error.getMessage());
    }

    @Test
    void intFallbackAndTrimming() {
        assertEquals(8080, Settings.of(Map.of()).httpPort());
        assertEquals(9090, Settings.of(Map.of(Settings.HTTP_PORT, " 9090 ")).httpPort());
    }

    @Test
    void withAddsOneValueAndLeavesTheOriginal() {
        Settings original = Settings.of(Map.of(Settings.HTTP_PORT, "1"));

        Settings derived = original.with(Settings.NATS_URL, "nats://127.0.0.1:4222");

        assertEquals("nats://127.0.0.1:4222", derived.natsUrl().orElseThrow());
        assertEquals(1, derived.httpPort());
        assertTrue(original.natsUrl().isEmpty());
    }
}
