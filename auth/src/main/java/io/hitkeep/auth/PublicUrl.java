package io.hitkeep.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.hitkeep.core.Settings;

/**
 * Where people reach this server, for the links we hand out (invitations, password resets, share links):
 * {@code HITKEEP_PUBLIC_URL} when set, else the scheme and {@code Host} the request came with.
 */
public final class PublicUrl {
    private final String configured;

    public PublicUrl(Settings settings) {
        this.configured = settings.value(Settings.PUBLIC_URL, "").replaceAll("/+$", "");
    }

    public String base(ServerRequest request) {
        if (!configured.isEmpty()) {
            return configured;
        }
        String scheme = request.headers().first(HeaderNames.X_FORWARDED_PROTO).orElse(request.isSecure() ? "https" : "http");
        return scheme + "://" + request.headers().first(HeaderNames.HOST).orElse("localhost");
    }
}
