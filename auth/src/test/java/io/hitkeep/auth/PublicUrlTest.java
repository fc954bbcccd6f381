package io.hitkeep.auth;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import io.hitkeep.core.Settings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A link sent to someone else (a password reset) is built from {@code HITKEEP_PUBLIC_URL}, or from a
 * {@code Host} that names this machine or is allowed; never from a host a stranger sent. Regression:
 * {@code Host: evil.example} made the owner's reset link point at evil.example.
 */
@RoutingTest
class PublicUrlTest {
    private final DirectClient client;

    PublicUrlTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        PublicUrl unset = new PublicUrl(Settings.of(Map.of("allowed-hosts", "stats.example.org")));
        PublicUrl configured = new PublicUrl(Settings.of(Map.of(Settings.PUBLIC_URL, "https://stats.example.com/")));
        routing.get("/unset", (request, response) -> response.send(unset.trustedBase(request).orElse("none")))
                .get("/configured", (request, response) -> response.send(configured.trustedBase(request).orElse("none")));
    }

    @ParameterizedTest(name = "{0} with Host {1}: {2}")
    @CsvSource({
            "unset,      evil.example,           none",
            "unset,      evil.example:8080,      none",
            "unset,      localhost:8080,         http://localhost:8080",
            "unset,      127.0.0.1:9090,         http://127.0.0.1:9090",
            "unset,      [::1]:8080,             http://[::1]:8080",
            "unset,      stats.example.org,      http://stats.example.org",
            "configured, evil.example,           https://stats.example.com",
    })
    void linksAreBuiltOnlyFromTrustedHosts(String setting, String host, String wanted) {
        try (Http1ClientResponse response = client.get("/" + setting).header(HeaderNames.HOST, host).request()) {
            assertEquals(wanted, response.as(String.class));
        }
    }
}
