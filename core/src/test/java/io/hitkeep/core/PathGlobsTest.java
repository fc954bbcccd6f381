package io.hitkeep.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathGlobsTest {
    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "/admin/*             | /admin/users       | true",
            "/admin/*             | /admin/users/7     | true",
            "/admin/*             | /admin             | false",
            "/admin/*             | /administrator     | false",
            "/admin, /admin/*     | /admin             | true",
            "/preview             | /preview           | true",
            "/preview             | /preview/x         | false",
            "/blog/*/draft        | /blog/2025/draft   | true",
            "/blog/*/draft        | /blog/2025/final   | false",
            "/*.php               | /wp-login.php      | true",
            "/a.b                 | /axb               | false",
            "''                   | /                  | false",
    })
    void matches(String list, String path, boolean wanted) {
        assertEquals(wanted, PathGlobs.parse("excluded_paths", list).matches(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin/*", "/a b", "*", "/ok, nope"})
    void refused(String list) {
        HitKeepException error = assertThrows(HitKeepException.class, () -> PathGlobs.parse("excluded_paths", list));
        assertTrue(error.getMessage().startsWith("excluded_paths: "), error.getMessage());
    }

    @Test
    void equalWhenWrittenAlike() {
        assertEquals(PathGlobs.parse("x", "/a,/b/*"), PathGlobs.parse("x", " /a , /b/* ,"));
        assertEquals("/a,/b/*", PathGlobs.parse("x", " /a , /b/* ,").toString());
        assertEquals(PathGlobs.NONE, PathGlobs.parse("x", ""));
    }
}
