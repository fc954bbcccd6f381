package io.hitkeep.gateway;

import io.hitkeep.core.ClientAddress;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * IP address to country (ISO 3166 alpha-2), offline: a sorted table of range starts built at build time
 * from ip-location-db's geo-whois-asn-country (CC0 1.0, by sapics; data from the regional internet
 * registries' whois and ASN records) by src/build/CountryTableBuilder.java, searched by binary search.
 * Nothing is kept of the address. Immutable and thread-safe once loaded.
 *
 * <p>Held compactly, since every gateway keeps the whole table for as long as it runs (617,000 ranges; 6.8 MiB of
 * heap as the file stores them, 4.1 MiB here): a country is a byte, an index into the table's own list of codes;
 * an IPv6 start is one long, its upper 64 bits, since 97 % of the starts end in 64 zero bits (a /64 or wider),
 * and only the others keep both halves, in a small table of their own.
 */
final class Countries {
    /** Only hex digits, colons and dots: anything else might make InetAddress look a name up. */
    private static final java.util.regex.Pattern IPV6_LITERAL = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    /** A country index is an unsigned byte, and 0 is "no country". */
    private static final int MAX_CODES = 255;

    /** The country codes the table uses; {@code codes[0]} is "" (no country). Made once: a lookup does not allocate. */
    private final String[] codes;
    private final int[] v4Starts;
    private final byte[] v4Countries;
    /** IPv6 starts whose lower 64 bits are zero, by their upper 64 bits. */
    private final long[] v6Wide;
    private final byte[] v6WideCountries;
    /** The other IPv6 starts, both halves. */
    private final long[] v6NarrowHigh;
    private final long[] v6NarrowLow;
    private final byte[] v6NarrowCountries;

    private Countries(String[] codes, int[] v4Starts, byte[] v4Countries, long[] v6Wide, byte[] v6WideCountries,
                      long[] v6NarrowHigh, long[] v6NarrowLow, byte[] v6NarrowCountries) {
        this.codes = codes;
        this.v4Starts = v4Starts;
        this.v4Countries = v4Countries;
        this.v6Wide = v6Wide;
        this.v6WideCountries = v6WideCountries;
        this.v6NarrowHigh = v6NarrowHigh;
        this.v6NarrowLow = v6NarrowLow;
        this.v6NarrowCountries = v6NarrowCountries;
    }

    private static final class Holder {
        static final Countries BUNDLED = load();
    }

    /** The bundled table, loaded on first use. */
    static Countries bundled() {
        return Holder.BUNDLED;
    }

    static Countries load() {
        try (InputStream resource = Countries.class.getResourceAsStream("data/countries.bin")) {
            if (resource == null) {
                throw new IllegalStateException("data/countries.bin is not on the classpath: the build makes it"
                        + " (ingest-gateway/src/build/fetch-data.sh)");
            }
            return read(new DataInputStream(new BufferedInputStream(new GZIPInputStream(resource, 1 << 16), 1 << 16)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the file's HKC1 layout: the IPv4 starts (ints), their countries (two ASCII letters in a char, 0 for
     * none), then the IPv6 starts (two longs each) and theirs; every list sorted by start, unsigned.
     */
    private static Countries read(DataInputStream in) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (!Arrays.equals(magic, "HKC1".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            throw new IllegalStateException("data/countries.bin is not a HKC1 table");
        }
        CodeList codes = new CodeList();
        int v4 = in.readInt();
        int[] v4Starts = new int[v4];
        for (int i = 0; i < v4; i++) {
            v4Starts[i] = in.readInt();
        }
        byte[] v4Countries = new byte[v4];
        for (int i = 0; i < v4; i++) {
            v4Countries[i] = codes.index(in.readChar());
        }
        int v6 = in.readInt();
        long[] high = new long[v6];
        long[] low = new long[v6];
        int narrow = 0;
        for (int i = 0; i < v6; i++) {
            high[i] = in.readLong();
            low[i] = in.readLong();
            if (low[i] != 0) {
                narrow++;
            }
        }
        long[] v6Wide = new long[v6 - narrow];
        byte[] v6WideCountries = new byte[v6 - narrow];
        long[] v6NarrowHigh = new long[narrow];
        long[] v6NarrowLow = new long[narrow];
        byte[] v6NarrowCountries = new byte[narrow];
        for (int i = 0, wide = 0, other = 0; i < v6; i++) {
            byte country = codes.index(in.readChar());
            if (low[i] == 0) {
                v6Wide[wide] = high[i];
                v6WideCountries[wide++] = country;
            } else {
                v6NarrowHigh[other] = high[i];
                v6NarrowLow[other] = low[i];
                v6NarrowCountries[other++] = country;
            }
        }
        return new Countries(codes.names(), v4Starts, v4Countries, v6Wide, v6WideCountries,
                v6NarrowHigh, v6NarrowLow, v6NarrowCountries);
    }

    /** The codes met while reading, each given the next byte index. */
    private static final class CodeList {
        private final Map<Character, Byte> indexes = new HashMap<>();
        private final List<String> names = new ArrayList<>(List.of(""));

        byte index(char country) {
            if (country == 0) {
                return 0;
            }
            return indexes.computeIfAbsent(country, code -> {
                if (names.size() > MAX_CODES) {
                    throw new IllegalStateException("data/countries.bin names more than " + MAX_CODES
                            + " countries; Countries keeps a country in a byte");
                }
                names.add(new String(new char[] {(char) (code >>> 8), (char) (code & 0xff)}));
                return (byte) (names.size() - 1);
            });
        }

        String[] names() {
            return names.toArray(String[]::new);
        }
    }

    int size() {
        return v4Starts.length + v6Wide.length + v6NarrowHigh.length;
    }

    /** The country of an address literal, or empty for an unknown, private or malformed one. Never resolves names. */
    String country(String address) {
        long ipv4 = ClientAddress.ipv4(address);
        if (ipv4 >= 0) {
            return ipv4Country((int) ipv4);
        }
        if (address.indexOf(':') < 0 || !IPV6_LITERAL.matcher(address).matches()) {
            return "";
        }
        try {
            // a string with a colon is parsed as an IPv6 literal, never looked up in DNS
            InetAddress parsed = InetAddress.getByName(address);
            byte[] bytes = parsed.getAddress();
            if (!(parsed instanceof Inet6Address)) { // IPv4-mapped ::ffff:a.b.c.d
                return ipv4Country((bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | bytes[3] & 0xff);
            }
            long high = 0;
            long low = 0;
            for (int i = 0; i < 8; i++) {
                high = high << 8 | bytes[i] & 0xff;
                low = low << 8 | bytes[i + 8] & 0xff;
            }
            return ipv6Country(high, low);
        } catch (UnknownHostException | IllegalArgumentException malformed) {
            return "";
        }
    }

    /** The country of an IPv4 address (unsigned in the int); "" for none. */
    String ipv4Country(int address) {
        int low = 0;
        int high = v4Starts.length - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (Integer.compareUnsigned(v4Starts[middle], address) <= 0) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found < 0 ? "" : codes[v4Countries[found] & 0xff];
    }

    /**
     * The country of an IPv6 address given as two unsigned halves; "" for none. The range that holds it starts at
     * the last start at or below it, which is the later of the last such start in either list.
     */
    String ipv6Country(long addressHigh, long addressLow) {
        int wide = lastWideAtOrBelow(addressHigh);
        int narrow = lastNarrowAtOrBelow(addressHigh, addressLow);
        if (wide < 0 && narrow < 0) {
            return "";
        }
        // a wide start (h, 0) comes after a narrow one (h', l' > 0) only when h > h'
        boolean wideIsLater = narrow < 0 || wide >= 0 && Long.compareUnsigned(v6Wide[wide], v6NarrowHigh[narrow]) > 0;
        return codes[(wideIsLater ? v6WideCountries[wide] : v6NarrowCountries[narrow]) & 0xff];
    }

    private int lastWideAtOrBelow(long addressHigh) {
        int low = 0;
        int high = v6Wide.length - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (Long.compareUnsigned(v6Wide[middle], addressHigh) <= 0) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }

    private int lastNarrowAtOrBelow(long addressHigh, long addressLow) {
        int low = 0;
        int high = v6NarrowHigh.length - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int compared = Long.compareUnsigned(v6NarrowHigh[middle], addressHigh);
            if (compared == 0) {
                compared = Long.compareUnsigned(v6NarrowLow[middle], addressLow);
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
