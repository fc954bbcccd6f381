package io.hitkeep.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.core.ClientAddress;
import io.hitkeep.web.HttpJson;
import io.hitkeep.core.RateLimiter;
import io.hitkeep.core.Settings;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;

/**
 * What stands in front of every way to prove who you are (password, second factor, passkey, password
 * reset, share-link password): a per-address token bucket ({@code login-rate-limit} attempts at once,
 * refilled per minute) and a lockout that grows with failures, per account and client network with a slower
 * limit per account from everywhere ({@link LoginThrottle}). Both answer 429 with {@code Retry-After}
 * themselves, since a thrown error would lose the header. Thread-safe.
 */
public final class SignInGuard {
    private final RateLimiter perAddress;
    private final LoginThrottle perAccount;
    private final ClientAddress clientAddress;

    public SignInGuard(Settings settings, Clock clock) {
        int perMinute = settings.intValue("login-rate-limit", 10);
        this.perAddress = new RateLimiter(perMinute, perMinute);
        this.perAccount = new LoginThrottle(clock);
        this.clientAddress = new ClientAddress(settings);
    }

    /** Answers 429 itself and returns true when the client's address is over its limit. */
    public boolean limited(ServerRequest request, ServerResponse response) {
        String client = client(request);
        if (!perAddress.tryAcquire(client)) {
            tooMany(response, Math.max(1, perAddress.retryAfterSeconds(client)), "too many attempts; wait a minute and try again");
            return true;
        }
        return false;
    }

    /** Answers 429 itself and returns true when the account must still wait after failures from this client's network. */
    public boolean locked(ServerRequest request, String account, ServerResponse response) {
        long wait = perAccount.waitSeconds(account, network(request));
        if (wait > 0) {
            tooMany(response, wait, "too many failed attempts for this account; wait " + wait + " s");
            return true;
        }
        return false;
    }

    public void failed(ServerRequest request, String account) {
        perAccount.failed(account, network(request));
    }

    public void succeeded(ServerRequest request, String account) {
        perAccount.succeeded(account, network(request));
    }

    /** The client's network (see {@link #network(String)}). */
    public String network(ServerRequest request) {
        return network(client(request));
    }

    /**
     * The network of an address, not the address (IPv4 /24, IPv6 /48): what lockouts are counted by, and
     * enough to tell "my office" from "somewhere else" in the audit log while no IP address is kept at rest.
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

    /** The client's address, X-Forwarded-For believed only from trusted proxies. */
    public String client(ServerRequest request) {
        return clientAddress.resolve(request.remotePeer().address(), request.headers().first(HeaderNames.X_FORWARDED_FOR));
    }

    private static void tooMany(ServerResponse response, long retryAfterSeconds, String message) {
        response.header(HeaderNames.RETRY_AFTER, Long.toString(retryAfterSeconds));
        HttpJson.error(response, 429, message);
    }
}
