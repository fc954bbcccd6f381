import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Build-time tool (run as a single source file): turns ip-location-db's numeric CSVs (start,end,country;
 * sorted, not overlapping) into the table io.hitkeep.gateway.Countries reads. Gaps between ranges become
 * entries with no country, and neighbouring ranges of one country are merged, so a lookup is one binary
 * search for the last start at or below the address. Format, gzipped: "HKC1", then for IPv4 an int count,
 * the starts as ints (unsigned order), the countries as chars (two ASCII letters, 0 for none); then for
 * IPv6 an int count, the starts as pairs of longs (high, low; unsigned order), the countries as chars.
 */
public class CountryTableBuilder {
    record Range(BigInteger start, char country) {
    }

    public static void main(String[] args) throws IOException {
        List<Range> v4 = read(Path.of(args[0]), BigInteger.ONE.shiftLeft(32), RESERVED_V4);
        List<Range> v6 = read(Path.of(args[1]), BigInteger.ONE.shiftLeft(128), RESERVED_V6);
        try (OutputStream file = Files.newOutputStream(Path.of(args[2]));
             DataOutputStream out = new DataOutputStream(new GZIPOutputStream(file, 1 << 16))) {
            out.writeBytes("HKC1");
            out.writeInt(v4.size());
            for (Range range : v4) {
                out.writeInt(range.start().intValue());
            }
            for (Range range : v4) {
                out.writeChar(range.country());
            }
            out.writeInt(v6.size());
            for (Range range : v6) {
                out.writeLong(range.start().shiftRight(64).longValue());
                out.writeLong(range.start().longValue());
            }
            for (Range range : v6) {
                out.writeChar(range.country());
            }
        }
        System.out.printf("CountryTableBuilder: %d IPv4 and %d IPv6 entries -> %s (%d bytes)%n", v4.size(), v6.size(),
                args[2], Files.size(Path.of(args[2])));
    }

    /**
     * Paints each range over the ones before it: the lists hold some small ranges nested inside larger ones
     * (2.58.197.15/32 BE inside a DE block), and the later, more specific one wins.
     */
    private static List<Range> read(Path csv, BigInteger limit, List<String> reserved) throws IOException {
        TreeMap<BigInteger, Character> painted = new TreeMap<>();
        painted.put(BigInteger.ZERO, (char) 0);
        try (BufferedReader reader = Files.newBufferedReader(csv)) {
            for (String line; (line = reader.readLine()) != null; ) {
                String[] fields = line.split(",");
                if (fields.length < 3 || fields[0].isBlank()) {
                    continue;
                }
                String code = fields[2].strip();
                char country = code.length() == 2 ? (char) (code.charAt(0) << 8 | code.charAt(1)) : (char) 0;
                paint(painted, new BigInteger(fields[0].strip()), new BigInteger(fields[1].strip()).add(BigInteger.ONE),
                        country, limit);
            }
        }
        // special-use blocks (RFC 6890) have no country, whatever the registries' records say: the list maps
        // the documentation block 198.51.100.0/24 to AU
        for (String cidr : reserved) {
            String[] parts = cidr.split("/");
            BigInteger start = new BigInteger(1, InetAddress.getByName(parts[0]).getAddress());
            int bits = (limit.bitLength() - 1) - Integer.parseInt(parts[1]);
            paint(painted, start, start.add(BigInteger.ONE.shiftLeft(bits)), (char) 0, limit);
        }
        List<Range> ranges = new ArrayList<>();
        painted.forEach((start, country) -> add(ranges, start, country));
        return ranges;
    }

    private static void paint(TreeMap<BigInteger, Character> painted, BigInteger start, BigInteger after, char country,
                              BigInteger limit) {
        char resumed = painted.floorEntry(after).getValue();
        painted.subMap(start, true, after, true).clear();
        painted.put(start, country);
        if (after.compareTo(limit) < 0) {
            painted.put(after, resumed);
        }
    }

    static final List<String> RESERVED_V4 = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4");
    static final List<String> RESERVED_V6 = List.of("::/8", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10",
            "ff00::/8");

    private static void add(List<Range> ranges, BigInteger start, char country) {
        if (!ranges.isEmpty() && ranges.getLast().country() == country) {
            return; // the previous entry already covers this one
        }
        ranges.add(new Range(start, country));
    }
}
