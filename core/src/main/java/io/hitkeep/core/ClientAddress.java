package io.hitkeep.core;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the client's IP address behind reverse proxies: {@code X-Forwarded-For} is believed only from
 * peers in {@code trusted-proxies} (CIDRs, comma separated; default loopback), walking it from the right
 * until the first untrusted address. Immutable and thread-safe.
 */
public final class ClientAddress {
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F]*:[0-9a-fA-F:.]*");
    private final Ranges trusted;

    /** A network as bytes: an address is in it when its bytes under the mask equal the network's. */
    private record Cidr(byte[] network, byte[] mask) {
        boolean contains(InetAddress address) {
            // called for every hit, up to twice per proxy hop: no allocation beyond the address's own copy
            byte[] raw = address.getAddress();
            if (raw.length != network.length) {
                return false;
            }
            for (int i = 0; i < raw.length; i++) {
                if ((raw[i] & mask[i]) != network[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    public ClientAddress(Settings settings) {
        this(settings.value(Settings.TRUSTED_PROXIES, "127.0.0.0/8,::1/128"));
    }

    ClientAddress(String cidrs) {
        this.trusted = Ranges.parse(Settings.TRUSTED_PROXIES, cidrs);
    }

    /**
     * A list of CIDRs or single addresses, comma separated, such as a site's excluded addresses; parsed
     * like {@code trusted-proxies}. Immutable; two lists are equal when they hold the same entries.
     */
    public static final class Ranges {
        public static final Ranges NONE = new Ranges(List.of(), List.of());
        private final List<String> entries;
        private final List<Cidr> cidrs;

        private Ranges(List<String> entries, List<Cidr> cidrs) {
            this.entries = entries;
            this.cidrs = cidrs;
        }

        /** Parses the list; a bad entry raises {@link HitKeepException} whose message starts with {@code setting}. */
        public static Ranges parse(String setting, String list) {
            List<String> entries = new ArrayList<>();
            List<Cidr> cidrs = new ArrayList<>();
            for (String entry : list.split(",")) {
                if (!entry.isBlank()) {
                    cidrs.add(ClientAddress.parse(setting, entry.strip()));
                    entries.add(entry.strip());
                }
            }
            return new Ranges(List.copyOf(entries), List.copyOf(cidrs));
        }

        /** Whether the address (an IP literal) is in one of the ranges; anything else is in none. */
        public boolean contains(String address) {
            if (cidrs.isEmpty()) {
                return false;
            }
            Optional<InetAddress> parsed = literal(address);
            return parsed.isPresent() && contains(parsed.get());
        }

        boolean contains(InetAddress address) {
            for (Cidr cidr : cidrs) {
                if (cidr.contains(address)) {
                    return true;
                }
            }
            return false;
        }

        public boolean isEmpty() {
            return entries.isEmpty();
        }

        /** The entries, comma separated, as they were written less blanks. */
        @Override
        public String toString() {
            return String.join(",", entries);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Ranges ranges && ranges.entries.equals(entries);
        }

        @Override
        public int hashCode() {
            return entries.hashCode();
        }
    }

    private static Cidr parse(String setting, String text) {
        String[] parts = text.split("/", 2);
        Optional<InetAddress> address = literal(parts[0]);
        if (address.isEmpty()) {
            throw new HitKeepException(setting + ": '" + text + "' is not an address or CIDR");
        }
        int bytes = address.get().getAddress().length;
        int bits;
        try {
            bits = parts.length == 2 ? Integer.parseInt(parts[1]) : bytes * 8;
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (bits < 0 || bits > bytes * 8) {
            throw new HitKeepException(setting + ": bad prefix length in '" + text + "'");
        }
        byte[] mask = new byte[bytes];
        byte[] network = address.get().getAddress();
        for (int i = 0; i < bytes; i++) {
            int bitsHere = Math.clamp(bits - 8L * i, 0, 8);
            mask[i] = (byte) (0xff00 >> bitsHere);
            network[i] &= mask[i];
        }
        return new Cidr(network, mask);
    }

    /**
     * Parses an IP literal without ever asking DNS: dotted-quad IPv4 or IPv6 (optionally in brackets).
     * InetAddress.getByName alone is not enough: it resolves names made of hex digits ({@code cafe.de})
     * and reads legacy forms ({@code 1.2.3}, {@code 12345}) as addresses.
     */
    public static Optional<InetAddress> literal(String text) {
        String candidate = text.strip();
        if (candidate.startsWith("[") && candidate.endsWith("]")) {
            candidate = candidate.substring(1, candidate.length() - 1);
        }
        try {
            long ipv4 = ipv4(candidate);
            if (ipv4 >= 0) {
                return Optional.of(InetAddress.getByAddress(
                        new byte[] {(byte) (ipv4 >>> 24), (byte) (ipv4 >>> 16), (byte) (ipv4 >>> 8), (byte) ipv4}));
            }
            // with a colon and only these characters getByName parses IPv6 or fails, it never looks up a name
            if (IPV6.matcher(candidate).matches()) {
                return Optional.of(InetAddress.getByName(candidate));
            }
            return Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * A dotted-quad IPv4 literal (one to three ASCII digits per octet, each at most 255) as its 32 bits, or -1 if the
     * text is none. By hand rather than with a regular expression: every hit's address is read here, once per proxy
     * hop, and again for its country.
     */
    public static long ipv4(String text) {
        long address = 0;
        int at = 0;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (at >= text.length() || text.charAt(at) != '.') {
                    return -1;
                }
                at++;
            }
            int value = 0;
            int digits = 0;
            while (at < text.length() && digits < 3 && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                value = value * 10 + text.charAt(at++) - '0';
                digits++;
            }
            if (digits == 0 || value > 255) {
                return -1;
            }
            address = address << 8 | value;
        }
        return at == text.length() ? address : -1;
    }

    public boolean trusted(InetAddress address) {
        return trusted.contains(address);
    }

    /** The client's address given the TCP peer and the {@code X-Forwarded-For} header, if any. */
    public String resolve(SocketAddress peer, Optional<String> forwardedFor) {
        if (!(peer instanceof InetSocketAddress socket) || socket.getAddress() == null) {
            return "";
        }
        InetAddress client = socket.getAddress();
        if (forwardedFor.isPresent() && trusted(client)) {
            String[] hops = forwardedFor.get().split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                Optional<InetAddress> hop = literal(hops[i]);
                if (hop.isEmpty()) {
                    break;
                }
                client = hop.get();
                if (!trusted(client)) {
                    break;
                }
            }
        }
        return client.getHostAddress();
    }
}
