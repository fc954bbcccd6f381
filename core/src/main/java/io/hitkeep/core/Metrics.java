package io.hitkeep.core;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The process's counters and gauges in Prometheus text format for {@code GET /metrics}. A counter is a
 * {@link LongAdder}, cheap on the ingest hot path. Thread-safe.
 */
public final class Metrics {
    private static final Map<String, LongAdder> COUNTERS = new ConcurrentSkipListMap<>();
    private static final Map<String, LongSupplier> GAUGES = new ConcurrentSkipListMap<>();
    private static final Map<String, String> HELP = new ConcurrentSkipListMap<>();

    private Metrics() {
    }

    /** The counter {@code name{labels}}, e.g. {@code counter("hitkeep_ingest_dropped_total", "reason=\"bot\"", ...)}. */
    public static LongAdder counter(String name, String labels, String help) {
        HELP.putIfAbsent(name, help);
        return COUNTERS.computeIfAbsent(labels.isEmpty() ? name : name + "{" + labels + "}", key -> new LongAdder());
    }

    public static void gauge(String name, String help, LongSupplier value) {
        HELP.putIfAbsent(name, help);
        GAUGES.put(name, value);
    }

    public static String prometheus() {
        StringBuilder text = new StringBuilder(2048);
        String lastName = "";
        for (var entry : COUNTERS.entrySet()) {
            String name = baseName(entry.getKey());
            if (!name.equals(lastName)) {
                text.append("# HELP ").append(name).append(' ').append(HELP.get(name)).append('\n');
                text.append("# TYPE ").append(name).append(" counter\n");
                lastName = name;
            }
            text.append(entry.getKey()).append(' ').append(entry.getValue().sum()).append('\n');
        }
        for (var entry : GAUGES.entrySet()) {
            text.append("# HELP ").append(entry.getKey()).append(' ').append(HELP.get(entry.getKey())).append('\n');
            text.append("# TYPE ").append(entry.getKey()).append(" gauge\n");
            text.append(entry.getKey()).append(' ').append(entry.getValue().getAsLong()).append('\n');
        }
        return text.toString();
    }

    private static String baseName(String key) {
        int brace = key.indexOf('{');
        return brace < 0 ? key : key.substring(0, brace);
    }
}
