package io.hitkeep.query;

import io.hitkeep.core.DomainError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Stats requests are refused as invalid before any date arithmetic can overflow; a property filter and a
 * breakdown must name a property.
 */
class StatsRequestTest {
    /** Regression: {@code ?from=%2B999999999-12-31} overflowed the date arithmetic into a 500. */
    @Test
    void datesBeyondTheYear9999AreRefused() {
        DomainError error = assertThrows(DomainError.class, () -> StatsRequest.parse(1,
                Optional.of("+999999999-12-31"), Optional.empty(), List.of(), Optional.empty()));
        assertEquals(DomainError.Kind.INVALID, error.kind());
    }

    @Test
    void propertyFiltersAndBreakdownsNameAKey() {
        StatsRequest.Filter filter = request(List.of("prop:plan:pro:annual")).filters().get(0);
        assertEquals("plan", filter.propertyKey());
        assertEquals("pro:annual", filter.propertyValue(), "a value may hold colons, a key not");
        assertEquals("", request(List.of("prop:plan:")).filters().get(0).propertyValue(), "an empty value is a value");
        for (String bad : List.of("prop:plan", "prop::pro")) {
            assertEquals(DomainError.Kind.INVALID, assertThrows(DomainError.class, () -> request(List.of(bad))).kind(), bad);
        }
        assertEquals("plan", request(List.of()).withBreakdown(Optional.of("prop:plan")).breakdownProperty());
        assertEquals("", request(List.of()).withBreakdown(Optional.empty()).breakdownProperty());
        for (String bad : List.of("plan", "prop:", "country")) {
            assertEquals(DomainError.Kind.INVALID, assertThrows(DomainError.class,
                    () -> request(List.of()).withBreakdown(Optional.of(bad))).kind(), bad);
        }
    }

    private static StatsRequest request(List<String> filters) {
        return StatsRequest.parse(1, Optional.of("2026-05-04"), Optional.empty(), filters, Optional.empty());
    }
}
