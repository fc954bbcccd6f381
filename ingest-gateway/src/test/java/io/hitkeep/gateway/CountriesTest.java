package io.hitkeep.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundled ip-location-db table; wanted countries are what geo-whois-asn-country 2.3.2026061719 says. */
class CountriesTest {
    static final Countries COUNTRIES = Countries.bundled();

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "Google public DNS                       | 8.8.8.8                  | US",
            "APNIC's 1.0.1.0/24                      | 1.0.1.5                  | CN",
            "RIPE NCC's own web server               | 193.0.6.139              | NL",
            "Strato, Berlin                          | 81.169.145.1             | DE",
            // nested in the list: a /32 of BE inside a DE block; the more specific range wins
            "nested range                            | 2.58.197.15              | BE",
            "around the nested range                 | 2.58.197.16              | DE",
            "first address of the table              | 1.0.0.0                  | AU",
            "Google public DNS over IPv6             | 2001:4860:4860::8888     | US",
            "Google Ireland over IPv6                | 2a00:1450:4001:80b::200e | IE",
            "IPv4-mapped IPv6                        | ::ffff:8.8.8.8           | US",
            // special-use blocks have no country: the registries' data maps 198.51.100.0/24 to AU
            "TEST-NET-2, documentation               | 198.51.100.7             | ''",
            "TEST-NET-1, documentation               | 192.0.2.1                | ''",
            "TEST-NET-3, documentation               | 203.0.113.9              | ''",
            "private                                 | 10.1.2.3                 | ''",
            "loopback                                | 127.0.0.1                | ''",
            "IPv6 loopback                           | ::1                      | ''",
            "IPv6 documentation                      | 2001:db8::1              | ''",
            "broadcast                               | 255.255.255.255          | ''",
            "a host name is never resolved           | example.com              | ''",
            "a name with a colon is never resolved   | zz:80                    | ''",
            "octet out of range                      | 256.1.1.1                | ''",
            "too few octets                          | 8.8.8                    | ''",
            "empty                                   | ''                       | ''",
    })
    void country(String name, String address, String wanted) {
        assertEquals(wanted, COUNTRIES.country(address));
    }

    /** Prints the load time for the record; timing thresholds belong in benchmarks, not here (the machine may be busy). */
    @Test
    void loadsTheWholeTable() {
        long started = System.nanoTime();
        Countries table = Countries.load();
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("country table: %d entries loaded in %d ms%n", table.size(), millis);
        assertTrue(table.size() > 10_000, table.size() + " ranges");
    }
}
