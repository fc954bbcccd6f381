package io.hitkeep.core;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SettingsSizesTest {
    @Test
    void sizesAreReadWithTheirUnits() {
        Settings settings = Settings.of(Map.of("a", "16KB", "b", "1mb", "c", "512", "d", "2 GiB"));
        assertEquals(16 * 1024, settings.byteSize("a", 0));
        assertEquals(1024 * 1024, settings.byteSize("b", 0));
        assertEquals(512, settings.byteSize("c", 0));
        assertEquals(2L * 1024 * 1024 * 1024, settings.byteSize("d", 0));
        assertEquals(7, settings.byteSize("missing", 7));
    }

    @Test
    void aSizeThatIsNoSizeIsRefusedWithItsKey() {
        HitKeepException error = assertThrows(HitKeepException.class,
                () -> Settings.of(Map.of("http-max-payload", "lots")).byteSize("http-max-payload", 0));
        assertEquals("setting http-max-payload must be a size such as 16KB or 1MB, not 'lots'", error.getMessage());
    }
}
