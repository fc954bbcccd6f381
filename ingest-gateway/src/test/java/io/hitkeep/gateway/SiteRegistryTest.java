package io.hitkeep.gateway;

import io.hitkeep.core.Buckets;
import io.hitkeep.testing.NatsBroker;
import io.nats.client.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(60)
class SiteRegistryTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    private static KeyValue bucket() {
        return Buckets.sites(broker.connection());
    }

    private static void put(String domain, int id, int team) throws Exception {
        bucket().put(domain, ("{\"id\":" + id + ",\"team_id\":" + team + ",\"domain\":\"" + domain + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Polls until the value is wanted; shorter than the registry's 5 s memory of unknown domains. */
    private static <T> T await(T wanted, Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        T current = value.get();
        while (!current.equals(wanted) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            current = value.get();
        }
        return current;
    }

    @Test
    void findsASiteAlreadyInTheBucket() throws Exception {
        put("example.com", 3, 1);

        try (SiteRegistry registry = new SiteRegistry(broker.connection())) {
            assertEquals(Optional.of(new SiteRegistry.Site(3, 1, "example.com")), registry.find("example.com"));
        }
    }

    @Test
    void unknownDomainIsEmpty() {
        try (SiteRegistry registry = new SiteRegistry(broker.connection())) {
            assertEquals(Optional.empty(), registry.find("nobody-registered.example"));
            assertEquals(Optional.empty(), registry.find("nobody-registered.example"));
        }
    }

    @Test
    void oddHostIsEmpty() {
        try (SiteRegistry registry = new SiteRegistry(broker.connection())) {
            assertEquals(Optional.empty(), registry.find("spaces are not keys"));
            assertEquals(Optional.empty(), registry.find(""));
        }
    }

    @Test
    void siteAddedAfterStartArrivesThroughTheWatch() throws Exception {
        try (SiteRegistry registry = new SiteRegistry(broker.connection())) {
            // remembered as unknown for 5 s: from now on only the watch can make it known sooner
            assertEquals(Optional.empty(), registry.find("late.example"));

            put("late.example", 9, 2);

            assertEquals(Optional.of(new SiteRegistry.Site(9, 2, "late.example")),
                    await(Optional.of(new SiteRegistry.Site(9, 2, "late.example")), () -> registry.find("late.example")));
        }
    }

    @Test
    void changedAndDeletedSitesFollowTheBucket() throws Exception {
        put("moving.example", 4, 1);
        try (SiteRegistry registry = new SiteRegistry(broker.connection())) {
            assertEquals(Optional.of(new SiteRegistry.Site(4, 1, "moving.example")), registry.find("moving.example"));

            put("moving.example", 4, 5);
            assertEquals(Optional.of(new SiteRegistry.Site(4, 5, "moving.example")),
                    await(Optional.of(new SiteRegistry.Site(4, 5, "moving.example")), () -> registry.find("moving.example")));

            bucket().delete("moving.example");
            assertEquals(Optional.empty(), await(Optional.empty(), () -> registry.find("moving.example")));
        }
    }

    @Test
    void malformedEntryIsIgnored() throws Exception {
        bucket().put("broken.example", "not json".getBytes(StandardCharsets.UTF_8));
        bucket().put("partial.example", "{\"id\":5}".getBytes(StandardCharsets.UTF_8));

        try (SiteRegistry registry = new SiteRegistry(broker.connection())) {
            assertEquals(Optional.empty(), registry.find("broken.example"));
            assertEquals(Optional.empty(), registry.find("partial.example"));
        }
    }

    /** The other tools' ids a site may have: Umami's website id and GoatCounter's site code. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"umami_website_id, 11111111-2222-4333-8444-555555555555, 99999999-8888-4777-8666-555555555555",
            "goatcounter_code, first-code, second-code"})
    void anOtherToolsIdFindsItsSiteUntilItChangesOrTheSiteGoes(String field, String first, String second) throws Exception {
        String domain = field.replace('_', '-') + ".example";
        bucket().put(domain, ("{\"id\":6,\"team_id\":1,\"domain\":\"" + domain + "\","
                + "\"" + field + "\":\"" + first + "\"}").getBytes(StandardCharsets.UTF_8));
        try (SiteRegistry registry = new SiteRegistry(broker.connection())) {
            Function<String, Optional<SiteRegistry.Site>> lookup = field.equals("umami_website_id")
                    ? registry::umamiWebsite : registry::goatCounterCode;
            assertEquals(Optional.of(6), await(Optional.of(6), () -> lookup.apply(first).map(SiteRegistry.Site::id)));

            bucket().put(domain, ("{\"id\":6,\"team_id\":1,\"domain\":\"" + domain + "\","
                    + "\"" + field + "\":\"" + second + "\"}").getBytes(StandardCharsets.UTF_8));
            assertEquals(Optional.of(6), await(Optional.of(6), () -> lookup.apply(second).map(SiteRegistry.Site::id)));
            assertEquals(Optional.empty(), lookup.apply(first), "the old id no longer names the site");

            bucket().delete(domain);
            assertEquals(Optional.empty(), await(Optional.empty(), () -> lookup.apply(second)));
            assertEquals(Optional.empty(), lookup.apply("not-an-id"));
        }
    }
}
