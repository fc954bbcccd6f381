package io.hitkeep.gateway;

import io.hitkeep.core.Buckets;
import io.hitkeep.testing.NatsBroker;
import io.nats.client.KeyValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class SaltsTest {
    @RegisterExtension
    static NatsBroker broker = new NatsBroker();

    private static KeyValue bucket() {
        return Buckets.salts(broker.connection());
    }

    private static String today() {
        return LocalDate.now(ZoneOffset.UTC).toString();
    }

    @Test
    void twoGatewaysShareTodaysSalt() throws Exception {
        Salts.DailySalt firstDay = new Salts(broker.connection()).today();
        String first = firstDay.salt();
        String second = new Salts(broker.connection()).today().salt();

        assertEquals(first, second);
        assertEquals(today(), firstDay.date().toString(), "the salt's day, which visitor ids take too");
        assertTrue(first.matches("[0-9a-f]{64}"), first);
        assertEquals(first, bucket().get(today()).getValueAsString());
    }

    @Test
    void saltIsStableWithinTheDay() {
        Salts salts = new Salts(broker.connection());

        assertEquals(salts.today(), salts.today());
    }

    @Test
    void gatewaysStartingTogetherAgreeOnOneSalt() throws Exception {
        bucket().purge(today());
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<Thread> gateways = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Salts salts = new Salts(broker.connection());
            gateways.add(Thread.ofVirtual().unstarted(() -> seen.add(salts.today().salt())));
        }

        gateways.forEach(Thread::start);
        for (Thread gateway : gateways) {
            gateway.join();
        }

        assertEquals(1, seen.size(), "salts seen: " + seen);
        assertEquals(seen.iterator().next(), bucket().get(today()).getValueAsString());
    }

    @Test
    void olderSaltsAreDestroyedWhenTodaysIsCreated() throws Exception {
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        bucket().put("2000-01-01", "ancient".getBytes(StandardCharsets.US_ASCII));
        bucket().put(yesterday, "yesterday".getBytes(StandardCharsets.US_ASCII));
        bucket().purge(today());

        String salt = new Salts(broker.connection()).today().salt();

        assertNull(bucket().get("2000-01-01"));
        assertNull(bucket().get(yesterday));
        List<String> keys = bucket().keys();
        assertFalse(keys.contains("2000-01-01"), keys.toString());
        assertFalse(keys.contains(yesterday), keys.toString());
        assertEquals(List.of(today()), keys);
        assertEquals(salt, bucket().get(today()).getValueAsString());
    }
}
