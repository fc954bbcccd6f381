package io.hitkeep.core;

import io.hitkeep.bench.OneThreadBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

import java.util.ArrayList;
import java.util.List;

/**
 * The hit stream's wire format on a batch of 64 pageviews with the strings a gateway fills in: {@link #encode} is
 * the gateway's publisher's share of a batch, {@link #decode} the writer's. One thread, so the figure is batches
 * per second per core. Run: {@code java -jar bench/target/bench.jar HitCodecBenchmark}.
 */
public class HitCodecBenchmark extends OneThreadBenchmark {
    List<Hit> batch;
    byte[] message;

    @Setup
    public void setUp() {
        batch = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            Hit.Builder hit = Hit.builder();
            hit.timestampMicros = 1_735_689_600_000_000L + i * 1_000L;
            hit.siteId = 1;
            hit.hostname = "example.com";
            hit.path = "/blog/post-" + (i % 20);
            hit.referrerHost = i % 3 == 0 ? "www.google.com" : "";
            hit.source = i % 3 == 0 ? "Google" : "";
            hit.country = "DE";
            hit.browser = "Chrome";
            hit.os = "Windows";
            hit.device = "desktop";
            hit.language = "en";
            hit.viewportWidth = 1280;
            hit.visitorId = 0x5DEECE66DL * i;
            hit.sessionKey = i % 2 == 0 ? "k3j4h5g6f7d8" : "";
            hit.browserVersion = "131";
            hit.osVersion = "10";
            hit.medium = i % 3 == 0 ? "search" : "";
            batch.add(hit.build());
        }
        message = HitCodec.encode(batch);
    }

    @Benchmark
    public byte[] encode() {
        return HitCodec.encode(batch);
    }

    @Benchmark
    public List<Hit> decode() {
        return HitCodec.decode(message);
    }
}
