package io.hitkeep.gateway;

import io.hitkeep.core.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One row per user agent, with the category it must be dropped under, or none for a browser. The bots'
 * strings are the ones their operators document (the bracket names the page: Google's, OpenAI's,
 * Anthropic's, Slack's crawler pages and so on) or send in the forms those pages describe; the browsers'
 * are from MDN and the vendors' format pages, as in UserAgentsTest.
 */
class BotsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "Googlebot [Google crawlers]          | Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) | search",
            "Google-InspectionTool [Google]       | Mozilla/5.0 (compatible; Google-InspectionTool/1.0;) | search",
            "GoogleOther [Google]                 | GoogleOther | search",
            "bingbot [Bing webmaster]             | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36 | search",
            "YandexBot [Yandex]                   | Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots) | search",
            "Baiduspider [Baidu]                  | Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html) | search",
            "Applebot [Apple]                     | Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot) | search",
            "DuckDuckBot [DuckDuckGo]             | DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html) | search",
            "GPTBot [OpenAI]                      | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; GPTBot/1.1; +https://openai.com/gptbot | ai",
            "ChatGPT-User [OpenAI]                | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; +https://openai.com/bot | ai",
            "OAI-SearchBot [OpenAI]               | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; OAI-SearchBot/1.0; +https://openai.com/searchbot | ai",
            "ClaudeBot [Anthropic]                | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com) | ai",
            "Claude-User [Anthropic]              | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Claude-User/1.0; +Claude-User@anthropic.com) | ai",
            "PerplexityBot [Perplexity]           | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; +https://perplexity.ai/perplexitybot) | ai",
            "Perplexity-User [Perplexity]         | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Perplexity-User/1.0; +https://perplexity.ai/perplexity-user) | ai",
            "meta-externalagent [Meta]            | meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler) | ai",
            "Bytespider [ByteDance]               | Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com) | ai",
            "CCBot [Common Crawl]                 | CCBot/2.0 (https://commoncrawl.org/faq/) | ai",
            "Amazonbot [Amazon]                   | Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Amazonbot/0.1; +https://developer.amazon.com/support/amazonbot) Chrome/119.0.6045.214 Safari/537.36 | ai",
            "facebookexternalhit [Meta]           | facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php) | preview",
            "Twitterbot [X]                       | Twitterbot/1.0 | preview",
            "LinkedInBot [LinkedIn]               | LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com) | preview",
            "Slackbot link expanding [Slack]      | Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots) | preview",
            "Discordbot [Discord]                 | Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com) | preview",
            "TelegramBot [Telegram]               | TelegramBot (like TwitterBot) | preview",
            "WhatsApp preview                     | WhatsApp/2.23.20.0 A | preview",
            "Mastodon link card [Mastodon docs]   | http.rb/5.1.1 (Mastodon/4.2.1; +https://mastodon.social/) | preview",
            "Skype preview [Microsoft]            | Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com | preview",
            "Ahrefs [Ahrefs]                      | Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/) | seo",
            "Semrush [Semrush]                    | Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html) | seo",
            "UptimeRobot [UptimeRobot]            | Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/) | monitor",
            "Pingdom [Pingdom]                    | Pingdom.com_bot_version_1.4_(http://www.pingdom.com/) | monitor",
            "AWS load balancer [AWS ELB docs]     | ELB-HealthChecker/2.0 | monitor",
            "Google Cloud health check [GCP docs] | GoogleHC/1.0 | monitor",
            "Kubernetes probe [kubernetes.io]     | kube-probe/1.29 | monitor",
            "Route 53 [AWS docs]                  | Amazon-Route53-Health-Check-Service (ref 6d3c2b4e-0b0c-4b3a-9d4b-1a2b3c4d5e6f; report http://amzn.to/1vsZADi) | monitor",
            "Datadog synthetics [Datadog]         | Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 DatadogSynthetics | monitor",
            "Lighthouse [Chrome]                  | Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse | monitor",
            "Uptime Kuma [its source]             | Uptime-Kuma/1.23.11 | monitor",
            "Nmap [nmap.org]                      | Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html) | scanner",
            "sqlmap [sqlmap]                      | sqlmap/1.7.2#stable (https://sqlmap.org) | scanner",
            "Censys [Censys]                      | Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/) | scanner",
            "Expanse [Palo Alto Networks]         | Expanse, a Palo Alto Networks company, searches across the global IPv4 space multiple times per day to identify customers&#39; presences on the Internet. If you would like to be excluded from our scans, please send IP addresses/domains to: scaninfo@paloaltonetworks.com | scanner",
            "WPScan [WPScan]                      | WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner) | scanner",
            "Feedly [Feedly]                      | Feedly/1.0 (+http://www.feedly.com/fetcher.html; 3 subscribers; like FeedFetcher-Google) | feed",
            "Inoreader [Inoreader]                | Mozilla/5.0 (compatible; Inoreader/1.0; https://www.inoreader.com; 12 subscribers) | feed",
            "Miniflux [Miniflux]                  | Mozilla/5.0 (compatible; Miniflux/2.0.50; +https://miniflux.app) | feed",
            "NetNewsWire [NetNewsWire]            | NetNewsWire (RSS Reader; https://netnewswire.com/) | feed",
            "curl                                 | curl/8.5.0 | library",
            "Wget                                 | Wget/1.21.4 | library",
            "python-requests                      | python-requests/2.31.0 | library",
            "aiohttp                              | Python/3.12 aiohttp/3.9.1 | library",
            "Go                                   | Go-http-client/2.0 | library",
            "Java                                 | Java/21.0.2 | library",
            "OkHttp                               | okhttp/4.12.0 | library",
            "axios                                | axios/1.6.2 | library",
            "node-fetch                           | node-fetch/1.0 (+https://github.com/bitinn/node-fetch) | library",
            "Guzzle                               | GuzzleHttp/7 | library",
            "ApacheBench [Apache]                 | ApacheBench/2.3 | library",
            "k6 [Grafana k6]                      | k6/0.49.0 (https://k6.io/) | library",
            "JMeter [Apache]                      | Apache-HttpClient/4.5.14 (Java/17.0.9) | library",
            "HeadlessChrome [Puppeteer]           | Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36 | automation",
            "PhantomJS                            | Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1 | automation",
            "a crawler with a contact address     | Mozilla/5.0 (compatible; ExampleCrawler/1.0; +https://example.org/crawler) | crawler",
            "compatible form, no word bot         | Mozilla/5.0 (compatible; Zoltar/2.3; +https://zoltar.example) | crawler",
            "compatible form without URL          | Mozilla/5.0 (compatible; Foozle/0.9) | crawler",
            "e-mail contact                       | Mozilla/5.0 (research-fetch; contact: ops@example.net) | crawler",
            "Internet Archive [archive.org]       | Mozilla/5.0 (compatible; archive.org_bot +http://archive.org/details/archive.org_bot) | search",
            "empty                                | '' | empty",
    })
    void categories(String name, String userAgent, String wanted) {
        assertEquals(Optional.of(wanted), Bots.bundled().category(userAgent).map(Bots.Category::label),
                () -> "matching rules: " + Bots.bundled().matching(userAgent));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "Chrome on Windows [chromium ua-reduction] | Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36",
            "Safari on iPhone [UpdatedUserAgents]      | Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
            "Firefox on Android [MDN]                  | Mozilla/5.0 (Android 14; Mobile; rv:129.0) Gecko/129.0 Firefox/129.0",
            "Edge on Windows [UpdatedUserAgents]       | Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 Edg/127.0.2651.98",
            "Samsung Internet [developer.samsung.com]  | Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
            "Yandex Browser [Yandex]                   | Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 YaBrowser/24.6.0.0 Safari/537.36",
            "Internet Explorer 11 [MDN]                | Mozilla/5.0 (Windows NT 10.0; Trident/7.0; rv:11.0) like Gecko",
            "Internet Explorer 8, .NET tokens [MDN]    | Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0; SLCC2; .NET CLR 2.0.50727; .NET CLR 3.5.30729)",
            "Facebook in-app browser on iOS            | Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.38.108;FBBV/614364137;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBCR/;FBID/phone;FBLC/en_US;FBOP/5]",
            "Instagram in-app browser                  | Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 337.0.3.23.54 (iPhone15,2; iOS 17_5; en_US; en; scale=3.00; 1179x2556; 614164834)",
            "Google app on iPhone                      | Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/323.0.647062479 Mobile/15E148 Safari/604.1",
            "Snapchat in-app browser                   | Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Snapchat/13.2.0.38 (like Safari/8618.2.12.10.6, panda)",
            "Cubot phone (regression: bot)             | Mozilla/5.0 (Linux; Android 12; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
            "Thunderbird calendar in SeaMonkey (regression: NING/) | Mozilla/5.0 (X11; U; Linux x86_64; fr; rv:1.9.1.9) Gecko/20100428 Lightning/1.0b1 SeaMonkey/2.0.4",
            "iOS app's own request (CFNetwork)         | Weather/1.0 CFNetwork/1410.0.3 Darwin/22.6.0",
            "macOS app's own request (CFNetwork)       | Notes/4.11 CFNetwork/1474 Darwin/23.0.0 (arm64)",
    })
    void browsersAreKept(String name, String userAgent) {
        assertEquals(Optional.empty(), Bots.bundled().category(userAgent),
                () -> "matching rules: " + Bots.bundled().matching(userAgent));
    }

    /** The pipeline counts a bot under its category; the counters of reason "bot" still add up to its drops. */
    @Test
    void dropsAreCountedByCategory() {
        IngestPipeline pipeline = new IngestPipeline(IngestPipelineTest.SITES, IngestPipelineTest.salt("salt"), true);
        long before = counter("ai");
        long bots = botDrops();

        IngestRequest gptBot = new IngestRequest(URI.create("https://example.com/"), "", "", "", 0, Map.of(), "", "",
                IngestPipelineTest.NOW, "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; GPTBot/1.1; +https://openai.com/gptbot",
                "203.0.113.9", false);
        assertEquals(Optional.of(DropReason.BOT), pipeline.process(gptBot).dropped());

        assertEquals(before + 1, counter("ai"));
        assertEquals(bots + 1, botDrops());
        assertTrue(Metrics.prometheus().contains("hitkeep_ingest_dropped_total{reason=\"bot\",category=\"ai\"}"));
    }

    static long counter(String category) {
        return Metrics.counter("hitkeep_ingest_dropped_total", "reason=\"bot\",category=\"" + category + "\"", "").sum();
    }

    /** The sum of every series of reason "bot", as a Prometheus query would add them. */
    static long botDrops() {
        return Metrics.prometheus().lines().filter(line -> line.startsWith("hitkeep_ingest_dropped_total{reason=\"bot\""))
                .mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '\'', value = {
            "Googlebot\\/ => googlebot/",
            "(?<! cu)bots?(?:\\b|_) => bot",
            "(?:^|[^g])news(?!sapphire) => news",
            "^[\\w\\-]+/[\\w]+$ => /",
            "\\b\\w+/1\\.0; => /1.0;",
            "^mozilla/\\d\\.\\d\\s[\\w\\.-]+$ => mozilla/",
            "colou?r => colo",
            "ab+c => ab",
            "a|b => ''",
            "^[^ ]{50,}$ => ''",
            "(?<![0-9])008\\/ => 008/",
    })
    void requiredLiteral(String regex, String wanted) {
        assertEquals(wanted, Bots.requiredLiteral(regex).orElse(""));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '\'', value = {
            ";\\s\\w+;$ => ;",
            "^[\\w\\-]+/[\\w]+$ => ''",
            "^mozilla/\\d\\.\\d\\s\\((?:compatible;)?\\)$ => )",
            "abc$ => c",
            "abc\\$ => ''",
            "\\d+$ => ''",
            "a*$ => ''",
            "feed => ''",
    })
    void requiredLastCharacter(String regex, String wanted) {
        char last = Bots.requiredLastCharacter(regex);
        assertEquals(wanted, last == 0 ? "" : String.valueOf(last));
    }

    @Test
    void alternativesAreSplitAtTheTopLevelOnly() {
        assertEquals(List.of("Automaton", "Newsify Feed Fetcher"), Bots.alternatives("Automaton|Newsify Feed Fetcher"));
        assertEquals(List.of("(?:^|[^g])news"), Bots.alternatives("(?:^|[^g])news"));
        assertEquals(List.of("[|]x", "y\\|z"), Bots.alternatives("[|]x|y\\|z"));
    }

    @Test
    void literalMatcherFindsEveryLiteralIgnoringCase() {
        LiteralMatcher matcher = new LiteralMatcher(List.of("he", "she", "his", "hers", "bot/", "BOT"));

        assertArrayEquals(new int[]{0, 1, 3}, matcher.occurring("uSHErs"));
        assertArrayEquals(new int[]{4, 5}, matcher.occurring("Googlebot/2.1"));
        assertArrayEquals(new int[]{}, matcher.occurring("Ünïcödé, rien"));
        assertArrayEquals(new int[]{2}, matcher.occurring("this"));
    }

    /**
     * Against a plain search for each literal, on random literals and texts over a few letters, so that the deep
     * states' failure links are taken often and chains of them are long.
     */
    @Test
    void literalMatcherAgreesWithAPlainSearch() {
        java.util.Random random = new java.util.Random(13);
        for (int round = 0; round < 300; round++) {
            List<String> literals = new java.util.ArrayList<>();
            int count = 1 + random.nextInt(40);
            for (int i = 0; i < count; i++) {
                literals.add(randomText(random, 1 + random.nextInt(8), "abcAB/"));
            }
            LiteralMatcher matcher = new LiteralMatcher(literals);
            for (int text = 0; text < 20; text++) {
                String sample = randomText(random, random.nextInt(60), "abcABx/é");
                String lower = sample.toLowerCase(java.util.Locale.ROOT);
                int[] wanted = java.util.stream.IntStream.range(0, literals.size())
                        .filter(i -> lower.contains(literals.get(i).toLowerCase(java.util.Locale.ROOT))).toArray();
                assertArrayEquals(wanted, matcher.occurring(sample), () -> literals + " in " + sample);
            }
        }
    }

    private static String randomText(java.util.Random random, int length, String letters) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(letters.charAt(random.nextInt(letters.length())));
        }
        return text.toString();
    }
}
