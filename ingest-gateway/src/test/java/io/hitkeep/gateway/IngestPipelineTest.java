package io.hitkeep.gateway;

import io.hitkeep.core.ClientAddress;
import io.hitkeep.core.CompactIds;
import io.hitkeep.core.Hit;
import io.hitkeep.core.PathGlobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestPipelineTest {
    /** Firefox 125 on Linux, in the format of MDN's Firefox user-agent reference. */
    static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0";
    /** Chrome 124 on Windows, in Chrome's reduced user-agent format (chromium.org/updates/ua-reduction). */
    static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    static final long NOW = 1_735_689_600_000_000L;
    static final LocalDate DAY = LocalDate.of(2025, 1, 1);
    private static final long HASH_MASK = (1L << CompactIds.HASH_BITS) - 1;

    /** A fixed salt of {@link #DAY}, as {@link Salts#today} gives one. */
    static Supplier<Salts.DailySalt> salt(String salt) {
        return () -> new Salts.DailySalt(DAY, salt);
    }

    static final Function<String, Optional<SiteRegistry.Site>> SITES = domain -> switch (domain) {
        case "example.com" -> Optional.of(new SiteRegistry.Site(1, 7, "example.com"));
        case "other.org" -> Optional.of(new SiteRegistry.Site(2, 7, "other.org"));
        // an owner who excludes their office network and admin pages, and does not honour DNT
        case "private.example" -> Optional.of(new SiteRegistry.Site(3, 7, "private.example",
                ClientAddress.Ranges.parse("excluded_ips", "198.51.100.0/24, 2001:db8::/32"),
                PathGlobs.parse("excluded_paths", "/admin/*, /preview"), false));
        default -> Optional.empty();
    };

    final IngestPipeline pipeline = new IngestPipeline(SITES, IngestPipelineTest.salt("salt"), true);

    static IngestRequest request(String url, String referrer, String userAgent, Map<String, String> utm) {
        return new IngestRequest(URI.create(url), referrer, "", "", 0, utm, "", "", NOW, userAgent, "203.0.113.9", false);
    }

    static IngestRequest request(String url) {
        return request(url, "", FIREFOX, Map.of());
    }

    Hit kept(IngestRequest request) {
        IngestPipeline.Outcome outcome = pipeline.process(request);
        assertEquals(Optional.empty(), outcome.dropped(), "dropped");
        return outcome.hit().orElseThrow();
    }

    /** An empty reason column means the hit is kept. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "do not track                | true  | https://example.com/ | " + FIREFOX + " | DO_NOT_TRACK",
            "curl                        | false | https://example.com/ | curl/8.5.0 | BOT",
            // Google's documented crawler string (developers.google.com/search/docs/crawling-indexing/overview-google-crawlers)
            "Googlebot                   | false | https://example.com/ | Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) | BOT",
            "Googlebot smartphone        | false | https://example.com/ | Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.201 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) | BOT",
            "bingbot                     | false | https://example.com/ | Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) | BOT",
            // what Puppeteer's headless Chrome sends unless told otherwise
            "HeadlessChrome              | false | https://example.com/ | Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36 | BOT",
            "python requests             | false | https://example.com/ | python-requests/2.31.0 | BOT",
            "empty user agent            | false | https://example.com/ | '' | BOT",
            "blank user agent            | false | https://example.com/ | '   ' | BOT",
            "unknown site                | false | https://unknown.net/ | " + FIREFOX + " | UNKNOWN_SITE",
            "subdomain is another site   | false | https://blog.example.com/ | " + FIREFOX + " | UNKNOWN_SITE",
            "do not track before bot     | true  | https://example.com/ | curl/8.5.0 | DO_NOT_TRACK",
            "firefox kept                | false | https://example.com/ | " + FIREFOX + " | ",
            "chrome kept                 | false | https://example.com/ | " + CHROME + " | ",
            "www of a known site kept    | false | https://www.example.com/ | " + CHROME + " | ",
            "upper case host kept        | false | https://EXAMPLE.com/ | " + CHROME + " | ",
            // Safari 17 on an iPhone, as in tmxkn1/UpdatedUserAgents
            "iphone safari kept          | false | https://example.com/ | Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1 | ",
            // Samsung's documented format (developer.samsung.com/internet/user-agent-string-format.html)
            "samsung internet kept       | false | https://example.com/ | Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36 | ",
    })
    void drops(String name, boolean doNotTrack, String url, String userAgent, DropReason wanted) {
        IngestRequest request = new IngestRequest(URI.create(url), "", "", "", 0, Map.of(), "", "", NOW, userAgent,
                "203.0.113.9", doNotTrack);

        IngestPipeline.Outcome outcome = pipeline.process(request);

        assertEquals(Optional.ofNullable(wanted), outcome.dropped());
        assertEquals(wanted == null, outcome.hit().isPresent());
    }

    /** Per-site privacy settings; an empty reason column means the hit is kept. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "excluded IPv4 range        | https://private.example/          | 198.51.100.23  | false | EXCLUDED_IP",
            "excluded IPv6 range        | https://private.example/          | 2001:db8::7    | false | EXCLUDED_IP",
            "address outside the range  | https://private.example/          | 203.0.113.9    | false | ",
            "another site's hit kept    | https://example.com/              | 198.51.100.23  | false | ",
            "excluded path below        | https://private.example/admin/users | 203.0.113.9  | false | EXCLUDED_PATH",
            "excluded path, decoded     | https://private.example/admin/%C3%BCber | 203.0.113.9 | false | EXCLUDED_PATH",
            "excluded exact path        | https://private.example/preview/  | 203.0.113.9    | false | EXCLUDED_PATH",
            "path outside the globs     | https://private.example/administrator | 203.0.113.9 | false | ",
            "query does not matter      | https://private.example/blog?x=/admin/a | 203.0.113.9 | false | ",
            "site does not honour DNT   | https://private.example/          | 203.0.113.9    | true  | ",
            "site honours DNT (default) | https://example.com/              | 203.0.113.9    | true  | DO_NOT_TRACK",
            "DNT and unknown site       | https://unknown.net/              | 203.0.113.9    | true  | DO_NOT_TRACK",
            "excluded IP before path    | https://private.example/admin/x   | 198.51.100.1   | false | EXCLUDED_IP",
    })
    void sitePrivacySettings(String name, String url, String clientIp, boolean doNotTrack, DropReason wanted) {
        IngestRequest request = new IngestRequest(URI.create(url), "", "", "", 0, Map.of(), "", "", NOW, FIREFOX,
                clientIp, doNotTrack);

        assertEquals(Optional.ofNullable(wanted), pipeline.process(request).dropped());
    }

    @Test
    void serverSideIngestIgnoresDoNotTrack() {
        IngestPipeline server = new IngestPipeline(SITES, IngestPipelineTest.salt("salt"), false);
        IngestRequest request = new IngestRequest(URI.create("https://example.com/"), "", "", "", 0, Map.of(), "", "",
                NOW, FIREFOX, "203.0.113.9", true);

        assertTrue(server.process(request).hit().isPresent());
    }

    @Test
    void keptHitCarriesTheSiteAndTheRequest() {
        IngestRequest request = new IngestRequest(URI.create("https://www.example.com/pricing"), "", "tab-42", "de-AT", 1280,
                Map.of(), "signup", "{\"plan\":\"pro\"}", NOW, CHROME, "203.0.113.9", false);

        Hit hit = kept(request);

        assertEquals(1, hit.siteId());
        assertEquals("example.com", hit.hostname());
        assertEquals("/pricing", hit.path());
        assertEquals(NOW, hit.timestampMicros());
        assertEquals("tab-42", hit.sessionKey());
        assertEquals(1280, hit.viewportWidth());
        assertEquals("signup", hit.eventName());
        assertEquals("{\"plan\":\"pro\"}", hit.propsJson());
        assertEquals("Chrome", hit.browser());
        assertEquals("Windows", hit.os());
        assertEquals("desktop", hit.device());
        assertEquals("124", hit.browserVersion());
        assertEquals("10", hit.osVersion());
        assertEquals("de", hit.language());
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "root                      | https://example.com/                        | /",
            "no path                   | https://example.com                         | /",
            "query stripped            | https://example.com/blog?utm_source=x&a=1   | /blog",
            "fragment stripped         | https://example.com/docs#install            | /docs",
            "trailing slash            | https://example.com/blog/                   | /blog",
            "trailing slash and query  | https://example.com/blog/?page=2            | /blog",
            "percent-decoding          | https://example.com/caf%C3%A9/men%C3%BC     | /café/menü",
            "non-latin path            | https://example.com/%E4%BE%8B%E3%81%88      | /例え",
            "encoded space             | https://example.com/a%20b                   | /a b",
            "plus stays a plus         | https://example.com/c++                     | /c++",
            "encoded plus              | https://example.com/a%2Bb                   | /a+b",
            "encoded percent           | https://example.com/100%25                  | /100%",
            "case kept                 | https://example.com/About                   | /About",
    })
    void pathNormalisation(String name, String url, String wanted) {
        assertEquals(wanted, kept(request(url)).path());
    }

    @Test
    void longPathIsCapped() {
        assertEquals(1024, kept(request("https://example.com/" + "p".repeat(1500))).path().length());
    }

    /** Empty wanted columns mean no referrer and no source. A known host is named by the referrer list. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no referrer                  | ''                                        | ''                     | ''               | ''",
            "www stripped, named          | https://www.Google.com/search?q=hitkeep   | google.com             | Google           | search",
            "subdomain kept, named        | https://news.ycombinator.com/item?id=1    | news.ycombinator.com   | Hacker News      | social",
            "same site is navigation      | https://example.com/blog                  | ''                     | ''               | ''",
            "same site with www           | https://www.example.com/                  | ''                     | ''               | ''",
            "another site of the owner    | https://other.org/                        | other.org              | other.org        | other",
            "subdomain of the site        | https://blog.example.com/post             | blog.example.com       | blog.example.com | other",
            "android app                  | android-app://com.google.android.gm/      | com.google.android.gm  | Gmail            | email",
            "AI assistant                 | https://chatgpt.com/                      | chatgpt.com            | ChatGPT          | ai",
            "unreadable referrer          | 'not a url at all'                        | ''                     | ''               | ''",
            "relative referrer            | /internal/page                            | ''                     | ''               | ''",
    })
    void referrer(String name, String referrer, String wantedHost, String wantedSource, String wantedMedium) {
        Hit hit = kept(request("https://www.example.com/landing", referrer, FIREFOX, Map.of()));

        assertEquals(wantedHost, hit.referrerHost());
        assertEquals(wantedSource, hit.source());
        assertEquals(wantedMedium, hit.medium(), "medium");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "spam referrer          | https://semalt.com/                     | REFERRER_SPAM",
            "spam subdomain         | http://forum.darodar.com/page           | REFERRER_SPAM",
            "real referrer          | https://news.ycombinator.com/           | ",
            "no referrer            | ''                                      | ",
    })
    void referrerSpam(String name, String referrer, DropReason wanted) {
        assertEquals(Optional.ofNullable(wanted), pipeline.process(request("https://example.com/", referrer, FIREFOX, Map.of())).dropped());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "IPv4                       | 8.8.8.8               | US",
            "IPv6                       | 2a00:1450:4001:80b::200e | IE",
            // the registries' data maps this documentation block to AU; special-use blocks have no country
            "documentation address      | 203.0.113.9           | ''",
            "private address            | 192.168.1.20          | ''",
    })
    void country(String name, String clientIp, String wanted) {
        IngestRequest request = new IngestRequest(URI.create("https://example.com/"), "", "", "", 0, Map.of(), "", "",
                NOW, FIREFOX, clientIp, false);

        assertEquals(wanted, kept(request).country());
    }

    @Test
    void utmFromTheUrlQuery() {
        Hit hit = kept(request("https://example.com/?utm_source=Newsletter&utm_medium=email&utm_campaign=spring%20sale"
                + "&utm_term=web+analytics&UTM_CONTENT=footer&other=1"));

        assertEquals("Newsletter", hit.utmSource());
        assertEquals("email", hit.utmMedium());
        assertEquals("spring sale", hit.utmCampaign());
        assertEquals("web analytics", hit.utmTerm());
        assertEquals("footer", hit.utmContent(), "parameter names are case-insensitive");
        assertEquals("Newsletter", hit.source(), "utm_source is the source");
    }

    @Test
    void trackerUtmFieldsWinOverTheQuery() {
        Hit hit = kept(request("https://example.com/?utm_source=query&utm_medium=cpc",
                "", FIREFOX, Map.of("utm_source", "tracker", "utm_campaign", "launch")));

        assertEquals("tracker", hit.utmSource());
        assertEquals("cpc", hit.utmMedium(), "a field the tracker did not send comes from the query");
        assertEquals("launch", hit.utmCampaign());
        assertEquals("tracker", hit.source());
    }

    @Test
    void utmSourceWinsOverTheReferrer() {
        Hit hit = kept(request("https://example.com/?utm_source=newsletter", "https://mail.google.com/", FIREFOX, Map.of()));

        assertEquals("newsletter", hit.source());
        assertEquals("mail.google.com", hit.referrerHost());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ref without referrer       | https://example.com/?ref=producthunt          | ''                           | producthunt",
            "source without referrer    | https://example.com/?source=twitter           | ''                           | twitter",
            "ref decoded                | https://example.com/?ref=Product%20Hunt       | ''                           | Product Hunt",
            "referrer wins over ref     | https://example.com/?ref=producthunt          | https://news.ycombinator.com/ | Hacker News",
            "utm wins over ref          | https://example.com/?ref=a&utm_source=b       | ''                           | b",
            "internal referrer and ref  | https://example.com/?ref=producthunt          | https://example.com/other    | producthunt",
            "empty ref                  | https://example.com/?ref=                     | ''                           | ''",
            "last of ref and source     | https://example.com/?ref=a&source=b           | ''                           | b",
    })
    void refIsAFallbackSource(String name, String url, String referrer, String wanted) {
        assertEquals(wanted, kept(request(url, referrer, FIREFOX, Map.of())).source());
    }

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource({
            "de-AT,       de",
            "EN-us,       en",
            "fr,          fr",
            "zh-Hant-TW,  zh",
            "fil-PH,      fil",
            "'',          ''",
            "x,           ''",
            "english,     ''",
            "12-34,       ''",
    })
    void language(String sent, String wanted) {
        IngestRequest request = new IngestRequest(URI.create("https://example.com/"), "", "", sent, 0, Map.of(), "", "",
                NOW, FIREFOX, "203.0.113.9", false);

        assertEquals(wanted, kept(request).language());
    }

    private static long visitor(IngestPipeline pipeline, String url, String ip, String userAgent) {
        IngestRequest request = new IngestRequest(URI.create(url), "", "", "", 0, Map.of(), "", "", NOW, userAgent, ip, false);
        return pipeline.process(request).hit().orElseThrow().visitorId();
    }

    @Test
    void visitorId() {
        IngestPipeline otherSalt = new IngestPipeline(SITES, IngestPipelineTest.salt("tomorrow"), true);
        long visitor = visitor(pipeline, "https://example.com/a", "203.0.113.9", FIREFOX);

        assertNotEquals(0, visitor);
        assertEquals(visitor, visitor(pipeline, "https://www.example.com/b?x=1", "203.0.113.9", FIREFOX),
                "same salt, site, address and user agent: same visitor on any page");
        assertEquals(visitor, visitor(new IngestPipeline(SITES, IngestPipelineTest.salt("salt"), true), "https://example.com/", "203.0.113.9", FIREFOX),
                "another gateway with the same salt agrees");
        assertNotEquals(visitor, visitor(otherSalt, "https://example.com/a", "203.0.113.9", FIREFOX), "another salt");
        assertNotEquals(visitor, visitor(pipeline, "https://example.com/a", "203.0.113.10", FIREFOX), "another address");
        assertNotEquals(visitor, visitor(pipeline, "https://example.com/a", "203.0.113.9", CHROME), "another user agent");
        assertNotEquals(visitor, visitor(pipeline, "https://other.org/a", "203.0.113.9", FIREFOX), "another site");
    }

    @Test
    void aVisitorIdCarriesItsSaltsDayAboveItsHash() {
        long visitor = visitor(pipeline, "https://example.com/a", "203.0.113.9", FIREFOX);
        long nextDay = visitor(new IngestPipeline(SITES, () -> new Salts.DailySalt(DAY.plusDays(1), "salt"), true),
                "https://example.com/a", "203.0.113.9", FIREFOX);

        assertEquals(DAY.toEpochDay(), visitor >>> CompactIds.HASH_BITS, "the day in the high bits");
        assertEquals(DAY.toEpochDay() + 1, nextDay >>> CompactIds.HASH_BITS);
        assertEquals(visitor & HASH_MASK, nextDay & HASH_MASK, "the same salt: the same hash below the day");
    }

    @Test
    void saltIsReadForEachHit() {
        String[] salt = {"monday"};
        IngestPipeline rotating = new IngestPipeline(SITES, () -> new Salts.DailySalt(DAY, salt[0]), true);
        long monday = visitor(rotating, "https://example.com/", "203.0.113.9", FIREFOX);

        salt[0] = "tuesday";

        assertNotEquals(monday, visitor(rotating, "https://example.com/", "203.0.113.9", FIREFOX));
    }

    @Test
    void dropsComeBeforeEnrichment() {
        assertEquals("drop do-not-track", pipeline.stepNames().get(0));
        assertEquals("drop bots", pipeline.stepNames().get(1));
        assertEquals("put site", pipeline.stepNames().get(2));
    }

    /** Plausible's d and Umami's website id name the site; the page may be elsewhere (a roll-up, a subdomain). */
    @Test
    void aRequestThatNamesItsSiteCountsThereWithThePagesOwnHost() {
        IngestRequest forOther = new IngestRequest(URI.create("https://blog.example.com/post"), "https://blog.example.com/", "",
                "", 0, Map.of(), "", "", NOW, FIREFOX, "203.0.113.9", false, ClientHints.NONE, "other.org");
        Hit hit = kept(forOther);
        assertEquals(2, hit.siteId());
        assertEquals("blog.example.com", hit.hostname());
        assertEquals("", hit.referrerHost(), "a referrer from the page's own host is navigation");

        IngestRequest forNobody = new IngestRequest(URI.create("https://example.com/"), "", "", "", 0, Map.of(), "", "", NOW,
                FIREFOX, "203.0.113.9", false, ClientHints.NONE, "nobody.example");
        assertEquals(Optional.of(DropReason.UNKNOWN_SITE), pipeline.process(forNobody).dropped(),
                "the named site decides, not the URL's");
    }
}
