package io.hitkeep.auth;

import io.helidon.webserver.http.ServerRequest;
import io.hitkeep.core.Json;
import io.hitkeep.core.StoreClient;

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
                    guard.network(request), teamId));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "cannot record audit event " + event + " of user " + userId + ": " + e.getMessage());
        }
    }
}
