package io.hitkeep.gateway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hosts arrive lower case and without {@code www.}, as IngestPipeline.referrerHost makes them. */
class ReferrersTest {
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "search engine                      | google.com              | Google          | SEARCH",
            "search engine, country domain      | google.de               | Google          | SEARCH",
            "search engine, other engine        | duckduckgo.com          | DuckDuckGo      | SEARCH",
            "Bing                               | bing.com                | Bing            | SEARCH",
            "social                             | news.ycombinator.com    | Hacker News     | SOCIAL",
            // Facebook's link shim: every outbound click comes from l.facebook.com or lm.facebook.com
            "Facebook link shim                 | l.facebook.com          | Facebook        | SOCIAL",
            // Twitter/X wraps every link in t.co
            "Twitter link wrapper               | t.co                    | Twitter         | SOCIAL",
            "LinkedIn short links               | lnkd.in                 | LinkedIn        | SOCIAL",
            "parent domain                      | old.reddit.com          | Reddit          | SOCIAL",
            "webmail                            | mail.google.com         | Gmail           | EMAIL",
            // the Gmail app on Android sends android-app://com.google.android.gm/
            "Gmail app                          | com.google.android.gm   | Gmail           | EMAIL",
            "AI assistant                       | chatgpt.com             | ChatGPT         | AI",
            "AI assistant, older domain         | chat.openai.com         | ChatGPT         | AI",
            "AI assistant on a Google subdomain | gemini.google.com       | Gemini          | AI",
            "AI search                          | perplexity.ai           | Perplexity      | AI",
            "ad network                         | adroll.com              | AdRoll          | PAID",
            "unknown site is its own source     | blog.example.net        | blog.example.net | OTHER",
            "bare unknown domain                | example.net             | example.net     | OTHER",
    })
    void source(String name, String host, String wantedName, Referrers.Medium wantedMedium) {
        assertEquals(new Referrers.Source(wantedName, wantedMedium), Referrers.source(host));
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "listed                | semalt.com                  | true",
            "subdomain of listed   | 12.semalt.com               | true",
            "darodar               | forum.darodar.com           | true",
            "look-alike of a news site | hulfingtonpost.com      | true",
            "similar name          | notsemalt.com               | false",
            "real site             | news.ycombinator.com        | false",
            "bare word             | localhost                   | false",
    })
    void spam(String name, String host, boolean wanted) {
        assertEquals(wanted, Referrers.isSpam(host));
    }

    @Test
    void listIsBundled() {
        assertTrue(Referrers.size() > 2000, "hosts: " + Referrers.size());
    }
}
