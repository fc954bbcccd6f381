package io.hitkeep.gateway;

import io.hitkeep.core.DomainError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The parts of {@link PlausibleEvents} the fixtures of {@code CompatibleTrackersTest} do not spell out. */
class PlausibleEventsTest {
    /** The same routes as hk.js's data-hash, so one site's pages look alike whichever tracker counted them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "https://example.com/#/about           | https://example.com/about",
            "https://example.com/#about            | https://example.com/about",
            "https://example.com/app#/users?tab=2  | https://example.com/app/users?tab=2",
            "https://example.com/app/#/users       | https://example.com/app/users",
            "https://example.com/plain             | https://example.com/plain",
    })
    void hashRoutesArePaths(String url, String wanted) {
        assertEquals(wanted, PlausibleEvents.hashRouteAsPath(url));
    }

    @Test
    void domainsAreSiteKeysOnceEach() {
        assertEquals(List.of("example.com", "rollup.example"), PlausibleEvents.siteKeys("WWW.Example.com, rollup.example,example.com,"));
        String eleven = "a.example,b.example,c.example,d.example,e.example,f.example,g.example,h.example,i.example,j.example,k.example";
        assertEquals(DomainError.Kind.INVALID, assertThrows(DomainError.class, () -> PlausibleEvents.siteKeys(eleven)).kind(),
                "one request does not fan out into more than " + PlausibleEvents.MAX_DOMAINS + " hits");
        assertEquals(DomainError.Kind.INVALID, assertThrows(DomainError.class, () -> PlausibleEvents.siteKeys(" , ")).kind());
    }
}
