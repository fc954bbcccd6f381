package io.hitkeep.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.hitkeep.core.Settings;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where people reach this server, for the links we hand out (invitations, password resets, share links):
 * {@code HITKEEP_PUBLIC_URL} when set, else the scheme and {@code Host} the request came with.
 */
public final class PublicUrl {
    private final String configured;
    /** Hosts whose {@code Host} header is believed for a link sent to somebody else: this machine, and the listed ones. */
    private final Set<String> allowedHosts;

    public PublicUrl(Settings settings) {
        this.configured = settings.value(Settings.PUBLIC_URL, "").replaceAll("/+$", "");
        this.allowedHosts = Arrays.stream(settings.value("allowed-hosts", "").split(","))
                .map(host -> host.strip().toLowerCase(Locale.ROOT)).filter(host -> !host.isEmpty()).collect(Collectors.toSet());
    }

    /**
     * The base of a link that goes to someone other than whoever made the request (a password reset link):
     * {@code HITKEEP_PUBLIC_URL}, else the request's {@code Host} only when it names this machine or is listed
     * in {@code HITKEEP_ALLOWED_HOSTS}. A stranger chooses the {@code Host} they send: believed, it would point
     * the owner's reset link at the stranger's site. Empty when nothing can be trusted.
     */
    public Optional<String> trustedBase(ServerRequest request) {
        if (!configured.isEmpty()) {
            return Optional.of(configured);
        }
        String host = request.headers().first(HeaderNames.HOST).orElse("").toLowerCase(Locale.ROOT);
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.replaceAll(":\\d+$", "");
        boolean local = name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
        return local || allowedHosts.contains(name) ? Optional.of(base(request)) : Optional.empty();
    }

    public String base(ServerRequest request) {
        if (!configured.isEmpty()) {
            return configured;
        }
        String scheme = request.headers().first(HeaderNames.X_FORWARDED_PROTO).orElse(request.isSecure() ? "https" : "http");
        return scheme + "://" + request.headers().first(HeaderNames.HOST).orElse("localhost");
    }
}
