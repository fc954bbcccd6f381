package io.hitkeep.gateway;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import ua_parser.Parser;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UapRegexesTest {
    private static final String KINDLE_SILK = "Mozilla/5.0 (Linux; U; en-us; KFTT Build/IML74K) AppleWebKit/535.19 "
            + "(KHTML, like Gecko) Silk/2.0 Safari/535.19 Silk-Accelerated=false";

    private static InputStream bundledFile() {
        return UapRegexes.class.getResourceAsStream("/ua_parser/regexes.yaml");
    }

    private static InputStream text(String yaml) {
        return new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theBundledFileReadsAsSnakeYamlReadsIt() throws IOException {
        Object snakeYaml;
        try (InputStream in = bundledFile()) {
            snakeYaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
        Map<String, List<Map<String, String>>> ours;
        try (InputStream in = bundledFile()) {
            ours = UapRegexes.read(in);
        }
        assertEquals(snakeYaml, ours);
        assertTrue(ours.get("user_agent_parsers").size() > 300, "uap-core has hundreds of browser patterns");
    }

    /**
     * The same answers as uap-java's own parser (its browser and OS, and whether its device is "Spider"): a few
     * fixed strings, and uap-core's corpora where they were fetched.
     */
    @Test
    void itParsesAsUapJavasOwnParser() throws IOException {
        Parser theirs = new Parser();
        UapRegexes ours = UapRegexes.bundled();
        List<String> fixed = List.of(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                KINDLE_SILK, "SomeCrawler/1.0 (+https://example.com/crawl)",
                "curl/8.5.0", "", "-");
        List<String> corpus = new ArrayList<>();
        for (String name : List.of("tests/test_ua.yaml", "tests/test_device.yaml", "tests/test_os.yaml")) {
            try {
                UserAgentsCorpusTest.uapCases(name).forEach(test -> corpus.add(test.userAgent()));
            } catch (org.opentest4j.TestAbortedException notFetched) {
                // the fixed strings only
            }
        }
        int spiders = 0;
        for (String agent : Stream.concat(fixed.stream(), corpus.stream()).distinct().toList()) {
            UapRegexes.Parsed parsed = ours.parse(agent);
            assertEquals(theirs.parseUserAgent(agent), parsed.browser(), agent);
            assertEquals(theirs.parseOS(agent), parsed.system(), agent);
            boolean spider = "Spider".equals(theirs.parseDevice(agent).family);
            assertEquals(spider, parsed.spider(), agent);
            spiders += spider ? 1 : 0;
        }
        assertTrue(spiders >= 2, "Googlebot and the crawler at least");
    }

    /**
     * A Kindle's browser matches uap-core's catch-all spider pattern ("silk") and, before it, a Kindle pattern:
     * no spider. The patterns before the catch-all are compiled when first needed, and again after they were
     * dropped.
     */
    @Test
    void aSpiderWordAfterABrandPatternIsNoSpider() {
        SpiderPatterns spiders = UapRegexes.bundled().spiders();
        for (int round = 0; round < 2; round++) {
            assertFalse(spiders.isSpider(KINDLE_SILK));
            assertTrue(spiders.isSpider("SomeCrawler/1.0 (+https://example.com/crawl)"));
            assertFalse(spiders.isSpider("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/127.0.0.0 Safari/537.36"));
            spiders.forgetOthers();
        }
    }

    @Test
    void anyOtherYamlIsRefusedNotMisread() {
        for (String yaml : List.of(
                "user_agent_parsers:\n  - regex: \"double quoted\"\n",
                "user_agent_parsers:\n  - regex: plain\n",
                "user_agent_parsers:\n  - regex: 'one' # a comment after\n",
                "user_agent_parsers:\n  - regex: 'a\n    b'\n",
                "user_agent_parsers: [ ]\n",
                "  - regex: 'before any list'\n",
                "user_agent_parsers:\n    family_replacement: 'before any mapping'\n",
                "user_agent_parsers:\n  - regex: 'x'\n    regex: 'twice'\n")) {
            assertThrows(IOException.class, () -> UapRegexes.read(text(yaml)), yaml);
        }
    }

    @Test
    void aQuoteInsideIsTwoQuotes() throws IOException {
        assertEquals(Map.of("os_parsers", List.of(Map.of("regex", "it's", "os_replacement", "x"))),
                UapRegexes.read(text("# comment\nos_parsers:\n\n  - regex: 'it''s'\n    os_replacement: 'x'  \n")));
    }
}
