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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
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
 *
 * <p>The table is one buffer ({@link Layout}). A gateway with a data directory ({@link #keepUnder}) writes it to a
 * file there and maps the file, so that the table is pages of a file rather than heap: the kernel can take them
 * back while no hits come (and {@code FilePages} gives them back after a burst), instead of the heap keeping
 * 4.1 MiB, and a young generation sized after it, for good (BENCHMARKS.md, twentieth session).
 */
final class Countries {
    private static final Logger LOG = Logger.getLogger(Countries.class.getName());
    /** Only hex digits, colons and dots: anything else might make InetAddress look a name up. */
    private static final java.util.regex.Pattern IPV6_LITERAL = java.util.regex.Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    /** A country index is an unsigned byte, and 0 is "no country". */
    private static final int MAX_CODES = 255;
    private static final String FILE_PREFIX = "countries-";
    /** Where {@link #bundled()} keeps its table as a file; null keeps it on the heap. */
    private static volatile Path fileDirectory;

    /** The country codes the table uses; {@code codes[0]} is "" (no country). Made once: a lookup does not allocate. */
    private final String[] codes;
    /** Read-only, big-endian: the lists below at their offsets. */
    private final ByteBuffer table;
    private final Layout layout;

    private Countries(ByteBuffer table) {
        this.layout = Layout.of(table);
        this.table = table;
        this.codes = layout.codes(table);
    }

    private static final class Holder {
        static final Countries BUNDLED = bundledTable();
    }

    /** The bundled table, loaded on first use. */
    static Countries bundled() {
        return Holder.BUNDLED;
    }

    /**
     * Keeps the bundled table as a file in {@code directory} from its first use on; a gateway calls this at its
     * start, before the table loads. Without it (tests, tools), or when the file cannot be written, the table is
     * on the heap.
     */
    static void keepUnder(Path directory) {
        fileDirectory = directory;
    }

    private static Countries bundledTable() {
        Countries loaded = load();
        Path directory = fileDirectory;
        return directory == null ? loaded : loaded.mappedUnder(directory);
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
     * This table as a mapped file in {@code directory}, named by a hash of its bytes: a file of another version
     * is never read, one of this version is written once and then reused, and the others are removed. A file
     * is replaced by renaming, never written in place, since another gateway may have it mapped. This table
     * itself when the file cannot be written or mapped.
     */
    Countries mappedUnder(Path directory) {
        try {
            Files.createDirectories(directory);
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(table.duplicate());
            String name = FILE_PREFIX + HexFormat.of().formatHex(sha256.digest(), 0, 8) + ".bin";
            Path file = directory.resolve(name);
            ByteBuffer mapped = Files.isRegularFile(file) ? map(file) : null;
            if (mapped == null || !mapped.equals(table)) {
                Path partial = Files.createTempFile(directory, FILE_PREFIX, ".partial");
                try {
                    try (FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                        ByteBuffer rest = table.duplicate();
                        while (rest.hasRemaining()) {
                            out.write(rest);
                        }
                    }
                    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(partial);
                }
                mapped = map(file);
            }
            try (DirectoryStream<Path> others = Files.newDirectoryStream(directory, FILE_PREFIX + "*")) {
                for (Path other : others) {
                    if (!other.getFileName().toString().equals(name)) {
                        Files.deleteIfExists(other);
                    }
                }
            }
            return new Countries(mapped);
        } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
            LOG.info(() -> "the country table stays on the heap (" + directory + ": " + e + ")");
            return this;
        }
    }

    private static ByteBuffer map(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        }
    }

    /** Whether the table is a mapped file rather than heap. */
    boolean isMapped() {
        return table.isDirect();
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
        byte[] v6Countries = new byte[v6];
        for (int i = 0; i < v6; i++) {
            v6Countries[i] = codes.index(in.readChar());
        }
        String[] names = codes.names();
        Layout layout = new Layout(v4, v6 - narrow, narrow, names.length);
        ByteBuffer table = ByteBuffer.allocate(layout.bytes());
        layout.writeHeader(table);
        for (int i = 0; i < v4; i++) {
            table.putInt(layout.v4StartsAt + 4 * i, v4Starts[i]);
            table.put(layout.v4CountriesAt + i, v4Countries[i]);
        }
        for (int i = 0, wide = 0, other = 0; i < v6; i++) {
            if (low[i] == 0) {
                table.putLong(layout.wideAt + 8 * wide, high[i]);
                table.put(layout.wideCountriesAt + wide++, v6Countries[i]);
            } else {
                table.putLong(layout.narrowHighAt + 8 * other, high[i]);
                table.putLong(layout.narrowLowAt + 8 * other, low[i]);
                table.put(layout.narrowCountriesAt + other++, v6Countries[i]);
            }
        }
        for (int i = 1; i < names.length; i++) {
            table.put(layout.codesAt + 2 * i, (byte) names[i].charAt(0));
            table.put(layout.codesAt + 2 * i + 1, (byte) names[i].charAt(1));
        }
        return new Countries(table.asReadOnlyBuffer());
    }

    /**
     * Where each list sits in the table: a 32-byte header ({@code HKM1}, then the IPv4, wide IPv6, narrow IPv6
     * and code counts as ints), the longs (wide starts, narrow starts' upper then lower halves), the IPv4 starts,
     * the three lists of country indexes, then the codes as two ASCII bytes each (index 0, no country, left zero).
     * Longs first, then ints, so that every value is aligned to its size.
     */
    private record Layout(int v4Count, int wideCount, int narrowCount, int codeCount, int wideAt, int narrowHighAt,
                          int narrowLowAt, int v4StartsAt, int v4CountriesAt, int wideCountriesAt,
                          int narrowCountriesAt, int codesAt) {
        private static final int MAGIC = 0x484b4d31; // "HKM1"
        private static final int HEADER = 32;

        Layout(int v4Count, int wideCount, int narrowCount, int codeCount) {
            this(v4Count, wideCount, narrowCount, codeCount,
                    HEADER,
                    HEADER + 8 * wideCount,
                    HEADER + 8 * (wideCount + narrowCount),
                    HEADER + 8 * (wideCount + 2 * narrowCount),
                    HEADER + 8 * (wideCount + 2 * narrowCount) + 4 * v4Count,
                    HEADER + 8 * (wideCount + 2 * narrowCount) + 5 * v4Count,
                    HEADER + 8 * (wideCount + 2 * narrowCount) + 5 * v4Count + wideCount,
                    HEADER + 8 * (wideCount + 2 * narrowCount) + 5 * v4Count + wideCount + narrowCount);
        }

        int bytes() {
            return codesAt + 2 * codeCount;
        }

        void writeHeader(ByteBuffer table) {
            table.putInt(0, MAGIC).putInt(4, v4Count).putInt(8, wideCount).putInt(12, narrowCount).putInt(16, codeCount);
        }

        /** The layout a table's header gives, checked against the table's length. */
        static Layout of(ByteBuffer table) {
            if (table.capacity() < HEADER || table.getInt(0) != MAGIC) {
                throw new IllegalStateException("not a HKM1 country table");
            }
            Layout layout = new Layout(table.getInt(4), table.getInt(8), table.getInt(12), table.getInt(16));
            if (layout.bytes() != table.capacity() || layout.codeCount < 1 || layout.codeCount > MAX_CODES + 1) {
                throw new IllegalStateException("a HKM1 country table of " + table.capacity() + " bytes, not " + layout.bytes());
            }
            return layout;
        }

        String[] codes(ByteBuffer table) {
            String[] codes = new String[codeCount];
            codes[0] = "";
            for (int i = 1; i < codeCount; i++) {
                codes[i] = new String(new char[] {(char) table.get(codesAt + 2 * i), (char) table.get(codesAt + 2 * i + 1)});
            }
            return codes;
        }
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
        return layout.v4Count() + layout.wideCount() + layout.narrowCount();
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
        int high = layout.v4Count() - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (Integer.compareUnsigned(table.getInt(layout.v4StartsAt() + 4 * middle), address) <= 0) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found < 0 ? "" : codes[table.get(layout.v4CountriesAt() + found) & 0xff];
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
        boolean wideIsLater = narrow < 0 || wide >= 0 && Long.compareUnsigned(wideStart(wide), narrowHigh(narrow)) > 0;
        return codes[(wideIsLater ? table.get(layout.wideCountriesAt() + wide) : table.get(layout.narrowCountriesAt() + narrow)) & 0xff];
    }

    private long wideStart(int index) {
        return table.getLong(layout.wideAt() + 8 * index);
    }

    private long narrowHigh(int index) {
        return table.getLong(layout.narrowHighAt() + 8 * index);
    }

    private long narrowLow(int index) {
        return table.getLong(layout.narrowLowAt() + 8 * index);
    }

    private int lastWideAtOrBelow(long addressHigh) {
        int low = 0;
        int high = layout.wideCount() - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (Long.compareUnsigned(wideStart(middle), addressHigh) <= 0) {
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
        int high = layout.narrowCount() - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int compared = Long.compareUnsigned(narrowHigh(middle), addressHigh);
            if (compared == 0) {
                compared = Long.compareUnsigned(narrowLow(middle), addressLow);
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
