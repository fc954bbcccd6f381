package io.hitkeep.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HitCodecTest {
    /** A hit with every field set to something distinct, so a swapped field shows. */
    static Hit full(int n) {
        Hit.Builder hit = Hit.builder();
        hit.timestampMicros = 1_735_689_600_000_000L + n;
        hit.siteId = 7 + n;
        hit.hostname = "example.com";
        hit.path = "/blog/" + n;
        hit.referrerHost = "news.ycombinator.com";
        hit.source = "hn";
        hit.utmSource = "newsletter";
        hit.utmMedium = "email";
        hit.utmCampaign = "spring";
        hit.utmTerm = "analytics";
        hit.utmContent = "footer";
        hit.country = "AT";
        hit.browser = "Firefox";
        hit.os = "Linux";
        hit.device = "desktop";
        hit.language = "de";
        hit.viewportWidth = 1280 + n;
        hit.visitorId = -4_611_686_018_427_387_904L + n;
        hit.sessionKey = "s-" + n;
        hit.eventName = "";
        hit.propsJson = "";
        hit.browserVersion = "128";
        hit.osVersion = "10.15";
        hit.medium = "social";
        return hit.build();
    }

    @Test
    void pageviewRoundTrip() {
        Hit pageview = full(1);

        List<Hit> decoded = HitCodec.decode(HitCodec.encode(List.of(pageview)));

        assertEquals(List.of(pageview), decoded);
    }

    @Test
    void eventWithUnicodeRoundTrip() {
        Hit.Builder event = Hit.builder();
        event.siteId = 3;
        event.hostname = "xn--r8jz45g.jp";
        event.path = "/café/日本語/😀";
        event.eventName = "Ünïcødé signup ✓";
        event.propsJson = "{\"plan\":\"prö\",\"emoji\":\"🎉\",\"n\":1.5,\"ok\":true}";
        event.visitorId = Long.MIN_VALUE;
        event.viewportWidth = Integer.MAX_VALUE;
        Hit hit = event.build();

        Hit decoded = HitCodec.decode(HitCodec.encode(List.of(hit))).getFirst();

        assertEquals(hit, decoded);
        assertTrue(decoded.isEvent());
    }

    @Test
    void emptyStringsStayEmpty() {
        Hit empty = Hit.builder().build();

        Hit decoded = HitCodec.decode(HitCodec.encode(List.of(empty))).getFirst();

        assertEquals(empty, decoded);
        assertEquals("", decoded.path());
        assertEquals("", decoded.propsJson());
    }

    @Test
    void manyHitsKeepTheirOrder() {
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            hits.add(full(i));
        }

        List<Hit> decoded = HitCodec.decode(HitCodec.encode(hits));

        assertEquals(hits, decoded);
    }

    /**
     * Version 1 as the gateways before it wrote it, frozen here byte for byte: the fields up to
     * {@code propsJson}, without browser version, OS version and medium.
     */
    static byte[] version1(List<Hit> hits) throws IOException {
        return frozen(1, hits, HitCodecTest::versionOneFields);
    }

    /** A hit's fields as a frozen encoder writes them. */
    private interface FrozenFields {
        void write(DataOutputStream out, Hit hit) throws IOException;
    }

    /** A message as {@code DataOutputStream} wrote it: the version, the count, then each hit's fields. */
    private static byte[] frozen(int version, List<Hit> hits, FrozenFields fields) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(version);
            out.writeInt(hits.size());
            for (Hit hit : hits) {
                fields.write(out, hit);
            }
        }
        return buffer.toByteArray();
    }

    /** The fields of version 1, which later versions write first, in the same order. */
    private static void versionOneFields(DataOutputStream out, Hit hit) throws IOException {
        out.writeLong(hit.timestampMicros());
        out.writeInt(hit.siteId());
        for (String value : List.of(hit.hostname(), hit.path(), hit.referrerHost(), hit.source(), hit.utmSource(),
                hit.utmMedium(), hit.utmCampaign(), hit.utmTerm(), hit.utmContent(), hit.country(), hit.browser(),
                hit.os(), hit.device(), hit.language())) {
            string(out, value);
        }
        out.writeInt(hit.viewportWidth());
        out.writeLong(hit.visitorId());
        string(out, hit.sessionKey());
        string(out, hit.eventName());
        string(out, hit.propsJson());
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /**
     * Encoding moved from {@code DataOutputStream} to a plain array for speed: version 3 must stay what the
     * stream-based encoder wrote, byte for byte, or writers of the same version could not read it.
     */
    @Test
    void encodingIsByteForByteWhatDataOutputStreamWrote() throws IOException {
        Hit.Builder event = full(2).toBuilder();
        event.eventName = "Ünïcødé signup ✓";
        event.propsJson = "{\"emoji\":\"🎉\"}";
        event.engagedMillis = 4_321;
        List<Hit> hits = List.of(full(1), event.build(), Hit.builder().build());

        byte[] version3 = frozen(3, hits, (out, hit) -> {
            versionOneFields(out, hit);
            string(out, hit.browserVersion());
            string(out, hit.osVersion());
            string(out, hit.medium());
            out.writeInt(hit.engagedMillis());
        });

        assertArrayEquals(version3, HitCodec.encode(hits));
    }

    @Test
    void messagesOfVersion1LeftInTheStreamStillDecode() throws IOException {
        Hit first = full(1);
        Hit second = full(2);

        List<Hit> decoded = HitCodec.decode(version1(List.of(first, second)));

        assertEquals(2, decoded.size());
        for (int i = 0; i < 2; i++) {
            Hit wanted = List.of(first, second).get(i);
            Hit hit = decoded.get(i);
            assertEquals(new Hit(wanted.timestampMicros(), wanted.siteId(), wanted.hostname(), wanted.path(),
                    wanted.referrerHost(), wanted.source(), wanted.utmSource(), wanted.utmMedium(), wanted.utmCampaign(),
                    wanted.utmTerm(), wanted.utmContent(), wanted.country(), wanted.browser(), wanted.os(),
                    wanted.device(), wanted.language(), wanted.viewportWidth(), wanted.visitorId(), wanted.sessionKey(),
                    wanted.eventName(), wanted.propsJson(), "", "", "", 0), hit, "fields version 1 lacks are empty");
        }
    }

    @Test
    void version3CarriesTheEngagementTime() {
        Hit.Builder ping = Hit.builder();
        ping.siteId = 1;
        ping.path = "/pricing";
        ping.engagedMillis = 12_345;
        Hit hit = HitCodec.decode(HitCodec.encode(List.of(ping.build()))).getFirst();

        assertEquals(12_345, hit.engagedMillis());
        assertTrue(hit.isEngagement());
        assertFalse(hit.isEvent());
    }

    @Test
    void messagesOfVersion2LeftInTheStreamStillDecode() {
        // version 3 only appended the engagement int: a one-hit version 2 message is a version 3 one without it
        byte[] current = HitCodec.encode(List.of(full(1)));
        byte[] version2 = java.util.Arrays.copyOf(current, current.length - Integer.BYTES);
        version2[0] = 2;

        Hit hit = HitCodec.decode(version2).getFirst();

        assertEquals(full(1), hit);
        assertEquals(0, hit.engagedMillis());
    }

    @Test
    void version2CarriesTheNewFields() {
        Hit hit = HitCodec.decode(HitCodec.encode(List.of(full(1)))).getFirst();

        assertEquals("128", hit.browserVersion());
        assertEquals("10.15", hit.osVersion());
        assertEquals("social", hit.medium());
    }

    @Test
    void truncatedVersion1MessagesAreRefused() throws IOException {
        byte[] message = version1(List.of(full(1), full(2)));
        for (int length = 0; length < message.length; length++) {
            byte[] truncated = Arrays.copyOf(message, length);
            assertThrows(HitKeepException.class, () -> HitCodec.decode(truncated), "prefix of " + length + " bytes");
        }
    }

    @Test
    void emptyBatch() {
        assertEquals(List.of(), HitCodec.decode(HitCodec.encode(List.of())));
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {0, 4, 255})
    void unknownVersionIsRefused(int version) {
        byte[] message = HitCodec.encode(List.of(full(1)));
        message[0] = (byte) version;

        HitKeepException error = assertThrows(HitKeepException.class, () -> HitCodec.decode(message));
        assertTrue(error.getMessage().contains("version " + version), error.getMessage());
    }

    @Test
    void truncatedMessagesAreRefused() {
        byte[] message = HitCodec.encode(List.of(full(1), full(2)));
        // every proper prefix must be refused, never decoded into fewer or damaged hits
        for (int length = 0; length < message.length; length++) {
            byte[] truncated = Arrays.copyOf(message, length);
            assertThrows(HitKeepException.class, () -> HitCodec.decode(truncated), "prefix of " + length + " bytes");
        }
    }

    @Test
    void absurdCountIsRefusedBeforeAllocating() {
        byte[] message = HitCodec.encode(List.of(full(1)));
        // count field follows the version byte
        message[1] = 0x7f;

        HitKeepException error = assertThrows(HitKeepException.class, () -> HitCodec.decode(message));
        assertTrue(error.getMessage().contains("count"), error.getMessage());
    }

    @Test
    void bytesAfterTheLastHitAreRefused() {
        byte[] message = HitCodec.encode(List.of(full(1)));
        byte[] longer = java.util.Arrays.copyOf(message, message.length + 3);

        HitKeepException error = assertThrows(HitKeepException.class, () -> HitCodec.decode(longer));
        assertTrue(error.getMessage().contains("after the last hit"), error.getMessage());
    }
}
