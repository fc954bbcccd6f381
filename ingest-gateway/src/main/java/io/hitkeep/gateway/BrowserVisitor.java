package io.hitkeep.gateway;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.hitkeep.core.ClientAddress;

import java.time.Instant;

/**
 * What a browser's request tells of its visitor besides its body: the user agent, the client's address
 * (through trusted proxies), whether it asked not to be tracked ({@code DNT: 1} or {@code Sec-GPC: 1}), its
 * client hints, and when it arrived. Used by the endpoints of other tools' trackers; none of it is stored.
 * Immutable.
 */
record BrowserVisitor(String userAgent, String clientIp, boolean doNotTrack, ClientHints clientHints, long timestampMicros) {
    private static final HeaderName DNT = HeaderNames.create("DNT");
    private static final HeaderName GPC = HeaderNames.create("Sec-GPC");
    private static final HeaderName CH_UA = HeaderNames.create("Sec-CH-UA");
    private static final HeaderName CH_UA_MOBILE = HeaderNames.create("Sec-CH-UA-Mobile");
    private static final HeaderName CH_UA_PLATFORM = HeaderNames.create("Sec-CH-UA-Platform");
    private static final HeaderName CH_UA_PLATFORM_VERSION = HeaderNames.create("Sec-CH-UA-Platform-Version");

    static BrowserVisitor of(ServerRequest request, ClientAddress clientAddress) {
        var headers = request.headers();
        boolean doNotTrack = headers.first(DNT).map("1"::equals).orElse(false)
                || headers.first(GPC).map("1"::equals).orElse(false);
        ClientHints hints = !headers.contains(CH_UA) && !headers.contains(CH_UA_PLATFORM) ? ClientHints.NONE
                : new ClientHints(headers.first(CH_UA).orElse(""), headers.first(CH_UA_MOBILE).orElse(""),
                        headers.first(CH_UA_PLATFORM).orElse(""), headers.first(CH_UA_PLATFORM_VERSION).orElse(""));
        Instant now = Instant.now();
        return new BrowserVisitor(headers.first(HeaderNames.USER_AGENT).orElse(""),
                clientAddress.resolve(request.remotePeer().address(), headers.first(HeaderNames.X_FORWARDED_FOR)),
                doNotTrack, hints, now.getEpochSecond() * 1_000_000 + now.getNano() / 1000);
    }
}
