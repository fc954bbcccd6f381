package io.hitkeep.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The JVM's name resolver during core's tests (registered in META-INF/services): answers a few names
 * itself, records every name it was asked, and hands the rest to the built-in resolver. This machine has
 * no DNS, so without it a test that a name is never looked up could not fail. Thread-safe.
 */
public final class TestDns extends InetAddressResolverProvider {
    /** Names this resolver answers; each looks like an address to a careless parser (only hex digits). */
    static final Map<String, InetAddress> NAMES = Map.of(
            "cafe.de", address(203, 0, 113, 66),
            "beef", address(203, 0, 113, 67),
            "probe.hitkeep.test", address(203, 0, 113, 68));
    /** Every name looked up since the JVM started. */
    static final Set<String> LOOKUPS = ConcurrentHashMap.newKeySet();

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                LOOKUPS.add(host);
                InetAddress known = NAMES.get(host);
                return known != null ? Stream.of(known) : builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "hitkeep-test-dns";
    }
}
