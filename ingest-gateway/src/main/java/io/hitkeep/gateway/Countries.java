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
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * IP address to country (ISO 3166 alpha-2), offline: a sorted table of range starts built at build time
 * from ip-location-db's geo-whois-asn-country (CC0 1.0, by sapics; data from the regional internet
 * registries' whois and ASN records) by src/build/CountryTableBuilder.java, searched by binary search.
 * Nothing is kept of the address. Immutable and thread-safe once loaded.
 */
final class Countries {
    /** Only hex digits, colons and dots: anything else might make InetAddress look a name up. */
    private static final java.util.regex.Pattern IPV6_LITERAL = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final int[] v4Starts;
    private final char[] v4Countries;
    private final long[] v6High;
    private final long[] v6Low;
    private final char[] v6Countries;

    private Countries(int[] v4Starts, char[] v4Countries, long[] v6High, long[] v6Low, char[] v6Countries) {
        this.v4Starts = v4Starts;
        this.v4Countries = v4Countries;
        this.v6High = v6High;
        this.v6Low = v6Low;
        this.v6Countries = v6Countries;
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
            DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(resource, 1 << 16), 1 << 16));
            byte[] magic = in.readNBytes(4);
            if (!Arrays.equals(magic, "HKC1".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                throw new IllegalStateException("data/countries.bin is not a HKC1 table");
            }
            int v4 = in.readInt();
            int[] v4Starts = new int[v4];
            for (int i = 0; i < v4; i++) {
                v4Starts[i] = in.readInt();
            }
            char[] v4Countries = new char[v4];
            for (int i = 0; i < v4; i++) {
                v4Countries[i] = in.readChar();
            }
            int v6 = in.readInt();
            long[] v6High = new long[v6];
            long[] v6Low = new long[v6];
            for (int i = 0; i < v6; i++) {
                v6High[i] = in.readLong();
                v6Low[i] = in.readLong();
            }
            char[] v6Countries = new char[v6];
            for (int i = 0; i < v6; i++) {
                v6Countries[i] = in.readChar();
            }
            return new Countries(v4Starts, v4Countries, v6High, v6Low, v6Countries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int size() {
        return v4Starts.length + v6High.length;
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

    private String ipv4Country(int address) {
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
        return found < 0 ? "" : name(v4Countries[found]);
    }

    private String ipv6Country(long addressHigh, long addressLow) {
        int low = 0;
        int high = v6High.length - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int compared = Long.compareUnsigned(v6High[middle], addressHigh);
            if (compared == 0) {
                compared = Long.compareUnsigned(v6Low[middle], addressLow);
            }
            if (compared <= 0) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found < 0 ? "" : name(v6Countries[found]);
    }

    /**
     * Country codes as strings, each made once: a lookup per hit should not allocate. A race fills a slot
     * twice with equal strings, which is harmless (strings are immutable, so safely shared without a lock).
     */
    private static final String[] NAMES = new String[Character.MAX_VALUE + 1];

    private static String name(char country) {
        if (country == 0) {
            return "";
        }
        String name = NAMES[country];
        if (name == null) {
            name = new String(new char[]{(char) (country >>> 8), (char) (country & 0xff)});
            NAMES[country] = name;
        }
        return name;
    }
}
