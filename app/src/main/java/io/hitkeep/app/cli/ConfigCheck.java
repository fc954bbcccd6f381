package io.hitkeep.app.cli;

import io.hitkeep.core.ClientAddress;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Settings;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code config check}: reads the configuration as a server would (flags, {@code HITKEEP_*} variables, the YAML
 * file), checks every value it knows, and prints the effective value of each setting with secrets masked.
 * Exit code 1 when a value is wrong, with every problem listed. The table below is the list of settings that the
 * command line accepts as options too.
 */
final class ConfigCheck implements Cli.Command {
    /** How a value is read, so it can be checked without starting anything. */
    private enum Kind { TEXT, PORT, NUMBER, DURATION, SIZE, PATH, URL, NATS_URL, CIDRS, SECRET, SECRETS, SWITCH }

    private record Setting(String key, Kind kind, String fallback) {}

    private static final List<Setting> SETTINGS = List.of(
            new Setting("role", Kind.TEXT, "all"),
            new Setting("http-port", Kind.PORT, "8080"),
            new Setting("http-host", Kind.TEXT, "0.0.0.0"),
            new Setting("data-path", Kind.PATH, "./data"),
            new Setting("nats-url", Kind.NATS_URL, "(embedded broker)"),
            new Setting("nats-server-bin", Kind.TEXT, "(installed, else the jar's own)"),
            new Setting("nats-server-search-path", Kind.TEXT, "(PATH, /usr/sbin, /usr/bin)"),
            new Setting("nats-port", Kind.PORT, "(a free port)"),
            new Setting("stream-max-bytes", Kind.SIZE, "(half the free space, at most 8GB)"),
            new Setting("stream-max-age", Kind.DURATION, "7d"),
            new Setting("stream-replicas", Kind.NUMBER, "1"),
            new Setting("public-url", Kind.URL, "(unset)"),
            new Setting("allowed-hosts", Kind.TEXT, "(unset)"),
            new Setting("jwt-secret", Kind.SECRET, "(generated into data/jwt-secret)"),
            new Setting("jwt-previous-secrets", Kind.SECRETS, "(unset)"),
            new Setting("trusted-proxies", Kind.CIDRS, "127.0.0.0/8,::1/128"),
            new Setting("session-lifetime", Kind.DURATION, "12h"),
            new Setting("remember-lifetime", Kind.DURATION, "30d"),
            new Setting("login-rate-limit", Kind.NUMBER, "10"),
            new Setting("api-rate-limit", Kind.NUMBER, "300"),
            new Setting("ingest-rate-limit", Kind.NUMBER, "600"),
            new Setting("batch-size", Kind.NUMBER, "256"),
            new Setting("batch-wait", Kind.DURATION, "100ms"),
            new Setting("rollups", Kind.SWITCH, "on"),
            new Setting("rollup-interval", Kind.DURATION, "5s"),
            new Setting("rollup-exact-rows", Kind.NUMBER, "100000"),
            new Setting("rollup-catchup-raw-rows", Kind.NUMBER, "2000000"),
            new Setting("duckdb-memory-limit", Kind.TEXT, "(an eighth of the memory, 128MB to 384MB)"),
            new Setting("duckdb-threads", Kind.NUMBER, "2"),
            new Setting("jvm-max-heap", Kind.TEXT, "160m"),
            new Setting("jvm-tuning", Kind.SWITCH, "on"),
            new Setting("writer-peers", Kind.TEXT, "(unset: leads alone)"),
            new Setting("writer-bind", Kind.TEXT, "site_local:7800"),
            new Setting("http-idle-timeout", Kind.DURATION, "30s"),
            new Setting("http-read-timeout", Kind.DURATION, "10s"),
            new Setting("http-max-connections", Kind.NUMBER, "(from the heap)"),
            new Setting("http-max-concurrent-requests", Kind.NUMBER, "(http-max-connections)"),
            new Setting("http-max-header-size", Kind.SIZE, "16KB"),
            new Setting("http-max-payload", Kind.SIZE, "1MB"),
            new Setting("backup-path", Kind.PATH, "(unset: no scheduled backups)"),
            new Setting("backup-keep", Kind.NUMBER, "7"),
            new Setting("smtp-host", Kind.TEXT, "(unset: no e-mail)"),
            new Setting("smtp-port", Kind.PORT, "587"),
            new Setting("smtp-user", Kind.TEXT, "(unset)"),
            new Setting("smtp-password", Kind.SECRET, "(unset)"),
            new Setting("smtp-from", Kind.TEXT, "(unset)"),
            new Setting("smtp-tls", Kind.TEXT, "starttls"));

    /** Whether {@code key} is a setting (so the command line may pass it as an option). */
    static boolean known(String key) {
        return SETTINGS.stream().anyMatch(setting -> setting.key().equals(key));
    }

    @Override
    public String name() {
        return "config check";
    }

    @Override
    public String summary() {
        return """
                check the configuration and print the effective value of every setting (secrets masked)
                Reads flags, HITKEEP_* variables and the YAML file (--config=FILE, HITKEEP_CONFIG, ./hitkeep.yaml) as
                the server does. Exit code 1 lists every wrong value.""";
    }

    @Override
    public Map<String, String> options() {
        return Map.of();
    }

    @Override
    public int run(Cli.Arguments arguments, PrintStream out, PrintStream err) {
        Settings settings = arguments.settings();
        List<String> problems = new ArrayList<>();
        for (Setting setting : SETTINGS) {
            Optional<String> value = settings.value(setting.key());
            String problem = value.isEmpty() ? null : problem(settings, setting);
            if (problem != null) {
                problems.add(setting.key() + ": " + problem);
            }
            String shown = value.map(text -> masked(setting, text)).orElse(setting.fallback());
            out.printf("%-30s %s%s%n", setting.key(), shown, value.isPresent() ? "" : "  (default)");
        }
        for (String problem : problems) {
            err.println("wrong: " + problem);
        }
        if (!problems.isEmpty()) {
            return 1;
        }
        err.println("configuration is valid");
        return 0;
    }

    private static String masked(Setting setting, String value) {
        return switch (setting.kind()) {
            case SECRET -> "******** (" + value.length() + " characters)";
            case SECRETS -> "******** (" + value.split(",").length + " keys)";
            default -> value;
        };
    }

    /** What is wrong with a given value, or null. Never repeats a secret. */
    private static String problem(Settings settings, Setting setting) {
        String key = setting.key();
        String value = settings.value(key).orElseThrow();
        try {
            switch (setting.kind()) {
                case PORT -> {
                    int port = settings.intValue(key, 0);
                    if (port < 0 || port > 65535) {
                        return "a port is 0 to 65535";
                    }
                }
                case NUMBER -> {
                    if (settings.intValue(key, 0) < 0) {
                        return "must not be negative";
                    }
                }
                case DURATION -> {
                    Duration duration = settings.duration(key, Duration.ZERO);
                    if (duration.isNegative() || duration.isZero()) {
                        return "must be longer than 0";
                    }
                }
                case SIZE -> settings.bytes(key);
                case PATH -> {
                    Path path = Path.of(value).toAbsolutePath();
                    Path existing = path;
                    while (existing != null && !Files.exists(existing)) {
                        existing = existing.getParent();
                    }
                    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
                        return path + " cannot be written (nearest existing folder: " + existing + ")";
                    }
                }
                case URL -> {
                    URI uri = URI.create(value);
                    if (!List.of("http", "https").contains(String.valueOf(uri.getScheme())) || uri.getHost() == null) {
                        return "must be an http:// or https:// address";
                    }
                }
                case NATS_URL -> {
                    for (String server : value.split(",")) {
                        URI uri = URI.create(server.strip());
                        if (!List.of("nats", "tls").contains(String.valueOf(uri.getScheme())) || uri.getHost() == null) {
                            return "must be nats://host:port (comma-separated for several)";
                        }
                    }
                }
                case CIDRS -> ClientAddress.Ranges.parse(key, value);
                case SECRET -> {
                    if (key.equals("jwt-secret") && value.length() < 32) {
                        return "must be at least 32 characters";
                    }
                }
                case SWITCH -> {
                    if (!List.of("on", "off").contains(value)) {
                        return "must be on or off";
                    }
                }
                case SECRETS, TEXT -> {
                    // free text
                }
            }
            return null;
        } catch (HitKeepException | IllegalArgumentException e) {
            // the messages of Settings quote the value: never for a secret
            return setting.kind() == Kind.SECRET || setting.kind() == Kind.SECRETS ? "is not valid" : e.getMessage();
        }
    }
}
