package io.hitkeep.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientAddressTest {
    private static final String DEFAULT = "127.0.0.0/8,::1/128";

    private static InetSocketAddress peer(String literal) throws UnknownHostException {
        // only ever called with address literals, which InetAddress parses without a lookup
        return new InetSocketAddress(InetAddress.getByName(literal), 40_000);
    }

    /** An empty header column means no X-Forwarded-For header at all. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no header                           | " + DEFAULT + "                 | 127.0.0.1         | | 127.0.0.1",
            "header from loopback believed       | " + DEFAULT + "                 | 127.0.0.1         | 203.0.113.9 | 203.0.113.9",
            "header from untrusted peer ignored  | " + DEFAULT + "                 | 198.51.100.2      | 203.0.113.9 | 198.51.100.2",
            "walk stops at first untrusted       | 127.0.0.0/8,10.0.0.0/8          | 127.0.0.1         | 198.51.100.1, 203.0.113.9, 10.0.0.5 | 203.0.113.9",
            "all hops trusted gives leftmost     | 127.0.0.0/8,10.0.0.0/8          | 127.0.0.1         | 10.1.1.1, 10.2.2.2 | 10.1.1.1",
            "untrusted proxy hop is the client   | " + DEFAULT + "                 | 127.0.0.1         | 203.0.113.9, 10.0.0.5 | 10.0.0.5",
            "garbage stops the walk              | 127.0.0.0/8,10.0.0.0/8          | 127.0.0.1         | 203.0.113.9, garbage, 10.0.0.5 | 10.0.0.5",
            "garbage only                        | " + DEFAULT + "                 | 127.0.0.1         | unknown | 127.0.0.1",
            "empty hop stops the walk            | " + DEFAULT + "                 | 127.0.0.1         | 203.0.113.9, , 127.0.0.2 | 127.0.0.2",
            "address with port is not an address | " + DEFAULT + "                 | 127.0.0.1         | 203.0.113.9:5555 | 127.0.0.1",
            "ipv6 loopback peer                  | " + DEFAULT + "                 | ::1               | 2001:db8::1 | 2001:db8:0:0:0:0:0:1",
            "ipv6 hop in brackets                | " + DEFAULT + "                 | 127.0.0.1         | [2001:db8::7] | 2001:db8:0:0:0:0:0:7",
            "ipv6 proxy range                    | 2001:db8:ffff::/48              | 2001:db8:ffff::2  | 203.0.113.9 | 203.0.113.9",
            "outside the ipv6 proxy range        | 2001:db8:ffff::/48              | 2001:db8:fffe::2  | 203.0.113.9 | 2001:db8:fffe:0:0:0:0:2",
            "ipv6 range does not cover ipv4      | ::/0                            | 127.0.0.1         | 203.0.113.9 | 127.0.0.1",
            "single address without prefix       | 192.0.2.10                      | 192.0.2.10        | 203.0.113.9 | 203.0.113.9",
            "neighbour of a single address       | 192.0.2.10                      | 192.0.2.11        | 203.0.113.9 | 192.0.2.11",
            "ipv4-mapped ipv6 hop                | " + DEFAULT + "                 | 127.0.0.1         | ::ffff:203.0.113.9 | 203.0.113.9",
            "nothing trusted                     | ''                              | 127.0.0.1         | 203.0.113.9 | 127.0.0.1",
            // regression: hex-only host names passed the "looks like an address" check and were resolved
            // through DNS, so a client chose its address by naming a host (TestDns answers cafe.de)
            "host name of hex digits is no address | " + DEFAULT + "               | 127.0.0.1         | cafe.de | 127.0.0.1",
    })
    void resolve(String name, String trusted, String peer, String forwardedFor, String wanted) throws UnknownHostException {
        ClientAddress clientAddress = new ClientAddress(trusted);

        assertEquals(wanted, clientAddress.resolve(peer(peer), Optional.ofNullable(forwardedFor)));
    }

    @Test
    void defaultTrustsLoopbackOnly() throws UnknownHostException {
        ClientAddress clientAddress = new ClientAddress(Settings.of(Map.of()));

        assertTrue(clientAddress.trusted(InetAddress.getByName("127.8.9.10")));
        assertTrue(clientAddress.trusted(InetAddress.getByName("::1")));
        assertFalse(clientAddress.trusted(InetAddress.getByName("10.0.0.1")));
        assertFalse(clientAddress.trusted(InetAddress.getByName("::2")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "setting replaces the default   | ' 10.0.0.0/8 , 172.16.0.0/12' | 127.0.0.1        | false",
            "a /12's last address           | ' 10.0.0.0/8 , 172.16.0.0/12' | 172.31.255.255   | true",
            "just past a /12                | ' 10.0.0.0/8 , 172.16.0.0/12' | 172.32.0.0       | false",
            "a /22's first address          | 192.168.4.0/22                | 192.168.4.0      | true",
            "a /22's last address           | 192.168.4.0/22                | 192.168.7.255    | true",
            "just past a /22                | 192.168.4.0/22                | 192.168.8.0      | false",
            "just before a /22              | 192.168.4.0/22                | 192.168.3.255    | false",
            "host bits of the setting drop  | 192.168.5.9/22                | 192.168.4.1      | true",
            "an IPv6 /31                    | 2001:db8::/31                 | 2001:db9:ffff::1 | true",
            "just past an IPv6 /31          | 2001:db8::/31                 | 2001:dba::1      | false",
            "IPv4's /0 holds no IPv6        | 0.0.0.0/0                     | ::1              | false",
            "IPv4's /0 holds every IPv4     | 0.0.0.0/0                     | 203.0.113.9      | true",
    })
    void trustedProxiesSetting(String name, String proxies, String address, boolean wanted) throws UnknownHostException {
        ClientAddress clientAddress = new ClientAddress(Settings.of(Map.of(Settings.TRUSTED_PROXIES, proxies)));
        assertEquals(wanted, clientAddress.trusted(InetAddress.getByName(address)));
    }

    @Test
    void peerWithoutAddressResolvesToEmpty() {
        ClientAddress clientAddress = new ClientAddress(DEFAULT);

        assertEquals("", clientAddress.resolve(InetSocketAddress.createUnresolved("example.com", 80), Optional.of("203.0.113.9")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "prefix too long       | 10.0.0.0/33",
            "ipv6 prefix too long  | ::1/129",
            "negative prefix       | 10.0.0.0/-1",
            "prefix not a number   | 10.0.0.0/abc",
            "empty prefix          | 10.0.0.0/",
            "two prefixes          | 10.0.0.0/8/9",
            "host name             | proxy.example.com",
            "address out of range  | 300.0.0.1/8",
    })
    void badCidrIsRefusedWithItsText(String name, String cidr) {
        HitKeepException error = assertThrows(HitKeepException.class, () -> new ClientAddress("127.0.0.1/32," + cidr));

        assertTrue(error.getMessage().contains(cidr), error.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ipv4                     | 203.0.113.9      | 203.0.113.9",
            "ipv4 with blanks         | ' 203.0.113.9 '  | 203.0.113.9",
            "ipv6                     | 2001:db8::1      | 2001:db8:0:0:0:0:0:1",
            "ipv6 in brackets         | [::1]            | 0:0:0:0:0:0:0:1",
            "ipv4-mapped              | ::ffff:192.0.2.1 | 192.0.2.1",
            "octet too large          | 999.1.1.1        | ''",
            "octet 256                | 1.2.3.256        | ''",
            "four digits              | 1234.1.1.1       | ''",
            "leading zeros            | 010.001.0.255    | 10.1.0.255",
            "trailing dot             | 1.2.3.4.         | ''",
            "with a port              | 1.2.3.4:80       | ''",
            "non-ASCII digits         | ١.٢.٣.٤          | ''",
            "three parts              | 1.2.3            | ''",
            "one number               | 12345            | ''",
            "bad ipv6                 | 2001:db8::g      | ''",
            "two double colons        | 1::2::3          | ''",
            "empty                    | ''               | ''",
            "hex word                 | beef             | ''",
            "hex host name            | cafe.de          | ''",
            "ordinary host name       | localhost        | ''",
    })
    void literal(String name, String text, String wanted) {
        Optional<String> parsed = ClientAddress.literal(text).map(InetAddress::getHostAddress);

        assertEquals(wanted.isEmpty() ? Optional.empty() : Optional.of(wanted), parsed);
        assertFalse(TestDns.LOOKUPS.contains(text.strip()), "'" + text + "' was looked up in DNS");
    }

    @Test
    void testDnsIsInstalled() throws UnknownHostException {
        // guards the regression rows above: they can only fail while TestDns answers for hex host names
        assertEquals(TestDns.NAMES.get("probe.hitkeep.test"), InetAddress.getByName("probe.hitkeep.test"));
    }

    @Test
    void rangesForSiteSettings() {
        ClientAddress.Ranges ranges = ClientAddress.Ranges.parse("excluded_ips", "203.0.113.0/24, 2001:db8::/32,198.51.100.7");

        assertTrue(ranges.contains("203.0.113.77"));
        assertTrue(ranges.contains("2001:db8::1"));
        assertTrue(ranges.contains("198.51.100.7"));
        assertFalse(ranges.contains("198.51.100.8"));
        assertFalse(ranges.contains("not an address"));
        assertFalse(ClientAddress.Ranges.NONE.contains("203.0.113.77"));
        assertEquals("203.0.113.0/24,2001:db8::/32,198.51.100.7", ranges.toString());
        assertEquals(ClientAddress.Ranges.NONE, ClientAddress.Ranges.parse("excluded_ips", " , "));
        HitKeepException bad = assertThrows(HitKeepException.class, () -> ClientAddress.Ranges.parse("excluded_ips", "10.0.0.0/33"));
        assertTrue(bad.getMessage().startsWith("excluded_ips: "), bad.getMessage());
        assertThrows(HitKeepException.class, () -> ClientAddress.Ranges.parse("excluded_ips", "example.com"));
    }
}
