package io.hitkeep.gateway;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    /**
     * The compact table answers as the file says, at every range's first address and at the address before it:
     * checked against the file read here on its own, with a plain binary search over its starts.
     */
    @Test
    void answersAsTheFileAtEveryRangeBoundary() throws IOException {
        answersAsTheFile(COUNTRIES);
    }

    /** The same table kept as a mapped file, as a gateway with a data directory keeps it. */
    @Test
    void aMappedTableAnswersAsTheFileAtEveryRangeBoundary(@TempDir Path directory) throws IOException {
        Countries mapped = Countries.load().mappedUnder(directory);
        assertTrue(mapped.isMapped());
        answersAsTheFile(mapped);
    }

    /**
     * The file is named by the table's hash and written once: a second start maps it as it is, a file of that name
     * that is not the table is replaced, and any other version's file is removed. Where nothing can be written, the
     * table stays on the heap.
     */
    @Test
    void theTableFileIsWrittenOnceAndReplacedWhenItIsNotTheTable(@TempDir Path directory) throws IOException {
        Path older = Files.writeString(directory.resolve("countries-0123456789abcdef.bin"), "an older version's table");
        Countries.load().mappedUnder(directory);
        List<Path> files = tableFiles(directory);
        assertEquals(1, files.size(), "one table file: " + files);
        assertFalse(Files.exists(older), "the older version's file is removed");
        Path file = files.getFirst();
        FileTime written = Files.getLastModifiedTime(file);
        byte[] table = Files.readAllBytes(file);

        assertTrue(Countries.load().mappedUnder(directory).isMapped());
        assertEquals(written, Files.getLastModifiedTime(file), "mapped as it was, not written again");

        byte[] damaged = table.clone();
        damaged[damaged.length / 2] ^= 0x55;
        Files.write(file, damaged);
        Countries mapped = Countries.load().mappedUnder(directory);
        assertArrayEquals(table, Files.readAllBytes(file), "a file that is not the table is replaced");
        assertEquals("US", mapped.country("8.8.8.8"));

        Path notADirectory = Files.writeString(directory.resolve("a-file"), "");
        Countries onTheHeap = Countries.load().mappedUnder(notADirectory);
        assertFalse(onTheHeap.isMapped());
        assertEquals("US", onTheHeap.country("8.8.8.8"));
    }

    private static List<Path> tableFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith("countries-")).toList();
        }
    }

    private static void answersAsTheFile(Countries table) throws IOException {
        int[] v4Starts;
        char[] v4Countries;
        long[][] v6Starts;
        char[] v6Countries;
        try (InputStream resource = Countries.class.getResourceAsStream("data/countries.bin");
             DataInputStream in = new DataInputStream(new GZIPInputStream(resource))) {
            assertEquals("HKC1", new String(in.readNBytes(4), java.nio.charset.StandardCharsets.US_ASCII));
            v4Starts = new int[in.readInt()];
            for (int i = 0; i < v4Starts.length; i++) {
                v4Starts[i] = in.readInt();
            }
            v4Countries = new char[v4Starts.length];
            for (int i = 0; i < v4Countries.length; i++) {
                v4Countries[i] = in.readChar();
            }
            v6Starts = new long[in.readInt()][];
            for (int i = 0; i < v6Starts.length; i++) {
                v6Starts[i] = new long[] {in.readLong(), in.readLong()};
            }
            v6Countries = new char[v6Starts.length];
            for (int i = 0; i < v6Countries.length; i++) {
                v6Countries[i] = in.readChar();
            }
        }
        int narrow = 0;
        for (int i = 0; i < v4Starts.length; i++) {
            for (int address : new int[] {v4Starts[i], v4Starts[i] - 1}) {
                assertEquals(fileCountry(v4Countries, fileV4Range(v4Starts, address)), table.ipv4Country(address),
                        () -> "IPv4 " + Integer.toUnsignedString(address));
            }
        }
        for (int i = 0; i < v6Starts.length; i++) {
            long high = v6Starts[i][0];
            long low = v6Starts[i][1];
            narrow += low != 0 ? 1 : 0;
            long beforeHigh = low == 0 ? high - 1 : high;
            for (long[] address : new long[][] {{high, low}, {beforeHigh, low - 1}}) {
                assertEquals(fileCountry(v6Countries, fileV6Range(v6Starts, address)), table.ipv6Country(address[0], address[1]),
                        () -> "IPv6 " + Long.toHexString(address[0]) + " " + Long.toHexString(address[1]));
            }
        }
        assertTrue(narrow > 0, "the table has IPv6 starts inside a /64, so both lists were searched");
        assertEquals(v4Starts.length + v6Starts.length, table.size());
    }

    private static String fileCountry(char[] countries, int range) {
        char country = range < 0 ? 0 : countries[range];
        return country == 0 ? "" : new String(new char[] {(char) (country >>> 8), (char) (country & 0xff)});
    }

    private static int fileV4Range(int[] starts, int address) {
        int found = -1;
        for (int low = 0, high = starts.length - 1; low <= high; ) {
            int middle = (low + high) >>> 1;
            if (Integer.compareUnsigned(starts[middle], address) <= 0) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }

    private static int fileV6Range(long[][] starts, long[] address) {
        int found = -1;
        for (int low = 0, high = starts.length - 1; low <= high; ) {
            int middle = (low + high) >>> 1;
            int compared = Long.compareUnsigned(starts[middle][0], address[0]);
            if (compared == 0) {
                compared = Long.compareUnsigned(starts[middle][1], address[1]);
            }
            if (compared <= 0) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }
}
