package io.hitkeep.auth;

import io.helidon.webserver.http.ServerRequest;
import io.hitkeep.core.ClientAddress;
import io.hitkeep.core.Json;
import io.hitkeep.core.StoreClient;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records security events (sign-ins, failures, factor and key changes, role changes) in the writer's
 * audit log. A failure to record is logged, never the user's problem. Thread-safe.
 */
public final class AuditTrail {
    private static final Logger LOG = Logger.getLogger(AuditTrail.class.getName());

    private final StoreClient store;
    private final SignInGuard guard;

    public AuditTrail(StoreClient store, SignInGuard guard) {
        this.store = store;
        this.guard = guard;
    }

    /** An event of the user's own account (sign-in, factors), shown to the owners of every team they are in. */
    public void record(ServerRequest request, long userId, String event, String detail) {
        record(request, userId, 0, event, detail);
    }

    /** An event of one team (keys, roles, invitations, sites), shown to that team's owners. */
    public void record(ServerRequest request, long userId, int teamId, String event, String detail) {
        try {
            store.call(AccountSecurity.ADD_AUDIT, new AccountSecurity.AuditEntry(userId, event, detail,
                    network(guard.client(request)), teamId));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "cannot record audit event " + event + " of user " + userId + ": " + e.getMessage());
        }
    }

    /**
     * The client's network, not its address (IPv4 /24, IPv6 /48): enough to tell "my office" from
     * "somewhere else" in the audit log, while no IP address is kept at rest.
     */
    static String network(String address) {
        Optional<InetAddress> parsed = ClientAddress.literal(address);
        if (parsed.isEmpty()) {
            return "";
        }
        byte[] bytes = parsed.get().getAddress();
        int keep = bytes.length == 4 ? 3 : 6;
        Arrays.fill(bytes, keep, bytes.length, (byte) 0);
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + (bytes.length == 4 ? "/24" : "/48");
        } catch (java.net.UnknownHostException e) {
            return "";
        }
    }
}
