package io.hitkeep.core;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HitKeep's configuration: each key (dashed, e.g. {@code http-port}) can be given as a command-line
 * flag {@code --http-port=8081}, an environment variable {@code HITKEEP_HTTP_PORT}, or a key in a YAML
 * file ({@code --config=FILE}, {@code HITKEEP_CONFIG}, else {@code ./hitkeep.yaml} when present), in that
 * order of precedence. Immutable and thread-safe.
 */
public final class Settings {
    public static final String HTTP_PORT = "http-port";
    public static final String DATA_PATH = "data-path";
    public static final String NATS_URL = "nats-url";
    public static final String NATS_SERVER_BIN = "nats-server-bin";
    public static final String PUBLIC_URL = "public-url";
    public static final String JWT_SECRET = "jwt-secret";
    public static final String TRUSTED_PROXIES = "trusted-proxies";
    /** Where a system nats-server is looked for (colon-separated directories); default: PATH, /usr/sbin, /usr/bin. */
    public static final String NATS_SERVER_SEARCH_PATH = "nats-server-search-path";
    /** The hit stream's size limit, e.g. {@code 2GB}; default: half the free space of the data volume, at most 8 GiB. */
    public static final String STREAM_MAX_BYTES = "stream-max-bytes";
    /** How long the hit stream keeps hits after they were written, e.g. {@code 7d}. */
    public static final String STREAM_MAX_AGE = "stream-max-age";
    /** Copies JetStream keeps of the hit stream and the buckets: 1 on one broker, 3 on a three-node cluster. */
    public static final String STREAM_REPLICAS = "stream-replicas";
    /** HTTP connection limits: see {@code io.hitkeep.web.Launcher.HttpLimits}. */
    public static final String HTTP_IDLE_TIMEOUT = "http-idle-timeout";
    public static final String HTTP_READ_TIMEOUT = "http-read-timeout";
    public static final String HTTP_MAX_CONNECTIONS = "http-max-connections";
    public static final String HTTP_MAX_CONCURRENT_REQUESTS = "http-max-concurrent-requests";
    public static final String HTTP_MAX_HEADER_SIZE = "http-max-header-size";
    public static final String HTTP_MAX_PAYLOAD = "http-max-payload";
    /** The largest export an import takes (compressed, as uploaded), e.g. {@code 50MB}; larger ones get 413. */
    public static final String IMPORT_MAX_BYTES = "import-max-bytes";
    /** Its default: Plausible's and GoatCounter's exports of a busy site for years fit. */
    public static final long IMPORT_MAX_BYTES_DEFAULT = 50L * 1024 * 1024;

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Settings from flags, environment and YAML file, as the launchers use them. */
    public static Settings load(String[] args) {
        return load(args, System.getenv());
    }

    static Settings load(String[] args, Map<String, String> environment) {
        Map<String, String> flags = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new HitKeepException("unexpected argument '" + arg + "': use --key=value");
            }
            int equals = arg.indexOf('=');
            if (equals < 0) {
                flags.put(arg.substring(2), "true");
            } else {
                flags.put(arg.substring(2, equals), arg.substring(equals + 1));
            }
        }
        Map<String, String> merged = new HashMap<>();
        Optional<Path> yaml = Optional.ofNullable(flags.get("config"))
                .or(() -> Optional.ofNullable(environment.get("HITKEEP_CONFIG")))
                .map(Path::of)
                .or(() -> Optional.of(Path.of("hitkeep.yaml")).filter(Files::isRegularFile));
        yaml.ifPresent(path -> merged.putAll(readYaml(path)));
        environment.forEach((name, value) -> {
            if (name.startsWith("HITKEEP_") && !value.isEmpty()) {
                merged.put(name.substring("HITKEEP_".length()).toLowerCase(Locale.ROOT).replace('_', '-'), value);
            }
        });
        merged.putAll(flags);
        return new Settings(merged);
    }

    /** Settings from a plain map, for tests and embedding. */
    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    private static Map<String, String> readYaml(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new HitKeepException("configuration file " + path + " does not exist");
        }
        Config config = Config.just(ConfigSources.file(path));
        Map<String, String> flat = new HashMap<>(config.asMap().orElse(Map.of()));
        flat.remove("config");
        return flat;
    }

    /** A copy with one more value, for launchers that derive a setting (such as the embedded broker's URL). */
    public Settings with(String key, String value) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(key, value);
        return new Settings(copy);
    }

    public Optional<String> value(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    public String value(String key, String fallback) {
        return value(key).orElse(fallback);
    }

    public int intValue(String key, int fallback) {
        String raw = value(key, Integer.toString(fallback));
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new HitKeepException("setting " + key + " must be a whole number, not '" + raw + "'");
        }
    }

    /** A duration such as {@code 200ms}, {@code 5s}, {@code 10m}, {@code 2h}; a bare number is milliseconds. */
    public Duration duration(String key, Duration fallback) {
        Optional<String> raw = value(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        String text = raw.get().trim().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            long amount = Long.parseLong(text.replaceAll("[smhd]$", ""));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> Duration.ofMillis(amount);
            };
        } catch (NumberFormatException e) {
            throw new HitKeepException("setting " + key + " must be a duration such as 200ms or 5s, not '" + raw.get() + "'");
        }
    }

    /** A size such as {@code 16KB}, {@code 1MB}, {@code 1GB} (powers of 1024); a bare number is bytes. */
    public long byteSize(String key, long fallback) {
        Optional<String> raw = value(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        String text = raw.get().trim().toUpperCase(Locale.ROOT).replaceAll("I?B$", "");
        long unit = switch (text.isEmpty() ? ' ' : text.charAt(text.length() - 1)) {
            case 'K' -> 1024L;
            case 'M' -> 1024L * 1024;
            case 'G' -> 1024L * 1024 * 1024;
            default -> 1;
        };
        try {
            return Math.multiplyExact(Long.parseLong(unit == 1 ? text : text.substring(0, text.length() - 1).trim()), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new HitKeepException("setting " + key + " must be a size such as 16KB or 1MB, not '" + raw.get() + "'");
        }
    }

    /**
     * A size that must be given to take effect, e.g. the hit stream's: empty when unset, else
     * {@link #byteSize(String, long)}'s reading of it, which must be positive.
     */
    public Optional<Long> bytes(String key) {
        if (value(key).isEmpty()) {
            return Optional.empty();
        }
        long size = byteSize(key, 0);
        if (size <= 0) {
            throw new HitKeepException("setting " + key + " must be a size such as 512MB or 2GB, not '" + value(key).get() + "'");
        }
        return Optional.of(size);
    }

    public int httpPort() {
        return intValue(HTTP_PORT, 8080);
    }

    public Path dataPath() {
        return Path.of(value(DATA_PATH, "./data")).toAbsolutePath().normalize();
    }

    /** {@link #STREAM_REPLICAS}, default 1; takes effect when a stream or bucket is created. */
    public int streamReplicas() {
        return intValue(STREAM_REPLICAS, 1);
    }

    /** The broker to use; empty means the single binary starts its own. */
    public Optional<String> natsUrl() {
        return value(NATS_URL);
    }
}
