package io.hitkeep.query;

import io.hitkeep.core.DomainError;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Stats requests are refused as invalid before any date arithmetic can overflow. */
class StatsRequestTest {
    /** Regression: {@code ?from=%2B999999999-12-31} overflowed the date arithmetic into a 500. */
    @Test
    void datesBeyondTheYear9999AreRefused() {
        DomainError error = assertThrows(DomainError.class, () -> StatsRequest.parse(1,
                Optional.of("+999999999-12-31"), Optional.empty(), List.of(), Optional.empty()));
        assertEquals(DomainError.Kind.INVALID, error.kind());
    }
}
