package io.hitkeep.gateway;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real user-agent strings. Sources: MDN's User-Agent and Firefox user-agent references
 * (developer.mozilla.org/docs/Web/HTTP/Headers/User-Agent), Chrome's reduced format
 * (chromium.org/updates/ua-reduction, which fixes "Android 10; K" and the "x.0.0.0" versions), Samsung's
 * documented format (developer.samsung.com/internet/user-agent-string-format.html), and the
 * tmxkn1/UpdatedUserAgents list of current browser strings (August 2024) for Edge, Opera and the mobile
 * variants. Each row names its source in brackets.
 */
class UserAgentsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Chrome on Windows [chromium ua-reduction]         | Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 | Chrome | Windows | desktop",
            "Chrome on macOS [chromium ua-reduction]           | Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 | Chrome | macOS | desktop",
            "Chrome on Linux [MDN]                             | Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 | Chrome | Linux | desktop",
            "Chrome on ChromeOS [chromium ua-reduction]        | Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 | Chrome | Chrome OS | desktop",
            "Chrome on Android phone [chromium ua-reduction]   | Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Mobile Safari/537.36 | Chrome | Android | mobile",
            "Chrome on Android tablet [chromium ua-reduction]  | Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 | Chrome | Android | tablet",
            "Chrome on iPhone [UpdatedUserAgents]              | Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/127.0.6533.107 Mobile/15E148 Safari/604.1 | Chrome | iOS | mobile",
            "Firefox on Windows [UpdatedUserAgents]            | Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:129.0) Gecko/20100101 Firefox/129.0 | Firefox | Windows | desktop",
            "Firefox on macOS [UpdatedUserAgents]              | Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:129.0) Gecko/20100101 Firefox/129.0 | Firefox | macOS | desktop",
            "Firefox on Linux [MDN]                            | Mozilla/5.0 (X11; Linux x86_64; rv:129.0) Gecko/20100101 Firefox/129.0 | Firefox | Linux | desktop",
            "Firefox on Android phone [UpdatedUserAgents]      | Mozilla/5.0 (Android 14; Mobile; rv:129.0) Gecko/129.0 Firefox/129.0 | Firefox | Android | mobile",
            "Firefox on Android tablet [MDN]                   | Mozilla/5.0 (Android 14; Tablet; rv:129.0) Gecko/129.0 Firefox/129.0 | Firefox | Android | tablet",
            "Firefox on iPhone [MDN]                           | Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/129.0 Mobile/15E148 Safari/605.1.15 | Firefox | iOS | mobile",
            "Safari on macOS [UpdatedUserAgents]               | Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15 | Safari | macOS | desktop",
            "Safari on iPhone [UpdatedUserAgents]              | Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1 | Safari | iOS | mobile",
            "Safari on iPad [MDN]                              | Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1 | Safari | iOS | tablet",
            "iOS app web view [UpdatedUserAgents]              | Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 | Safari | iOS | mobile",
            "Edge on Windows [UpdatedUserAgents]               | Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 Edg/127.0.2651.98 | Edge | Windows | desktop",
            "Edge on macOS [UpdatedUserAgents]                 | Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 Edg/127.0.2651.98 | Edge | macOS | desktop",
            "Edge on Android [UpdatedUserAgents]               | Mozilla/5.0 (Linux; Android 10; HD1913) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.6533.103 Mobile Safari/537.36 EdgA/127.0.2651.90 | Edge | Android | mobile",
            "Edge on iPhone [UpdatedUserAgents]                | Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 EdgiOS/127.2651.102 Mobile/15E148 Safari/605.1.15 | Edge | iOS | mobile",
            "Edge legacy on Windows [MSDN via jenssegers/agent] | Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/42.0.2311.135 Safari/537.36 Edge/12.10136 | Edge | Windows | desktop",
            "Opera on Windows [UpdatedUserAgents]              | Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 OPR/113.0.0.0 | Opera | Windows | desktop",
            "Opera on macOS [UpdatedUserAgents]                | Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 OPR/113.0.0.0 | Opera | macOS | desktop",
            "Opera on Android [UpdatedUserAgents]              | Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Mobile Safari/537.36 OPR/84.0.0.0 | Opera | Android | mobile",
            "Samsung Internet phone [developer.samsung.com]    | Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36 | Samsung Internet | Android | mobile",
            "Samsung Internet tablet [developer.samsung.com]   | Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Safari/537.36 | Samsung Internet | Android | tablet",
            "Samsung Internet desktop mode [developer.samsung.com] | Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Safari/537.36 | Samsung Internet | Linux | desktop",
            "Internet Explorer 11 [MDN]                        | Mozilla/5.0 (Windows NT 10.0; Trident/7.0; rv:11.0) like Gecko | Internet Explorer | Windows | desktop",
            "Windows Phone Edge [MSDN via jenssegers/agent]    | Mozilla/5.0 (Windows Phone 10.0; Android 4.2.1; DEVICE INFO) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/42.0.2311.135 Mobile Safari/537.36 Edge/12.10136 | Edge | Windows Phone | mobile",
            "unknown program                                   | SomeRadio/1.2 | '' | '' | other",
            "nothing                                           | '' | '' | '' | ''",
    })
    void classify(String name, String userAgent, String browser, String os, String device) {
        UserAgents.Classified classified = UserAgents.classify(userAgent);
        assertEquals(java.util.List.of(browser, os, device),
                java.util.List.of(classified.browser(), classified.os(), classified.device()));
    }

    /** Rows from the table above; macOS stays 10.15 in every browser's frozen string (MDN). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Chrome on Windows [chromium ua-reduction]    | Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 | 127 | 10",
            "Chrome on macOS [chromium ua-reduction]      | Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 | 127 | 10.15",
            "Chrome on Android phone [chromium ua-reduction] | Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Mobile Safari/537.36 | 127 | 10",
            "Firefox on Linux [MDN]                       | Mozilla/5.0 (X11; Linux x86_64; rv:129.0) Gecko/20100101 Firefox/129.0 | 129 | ''",
            "Firefox on macOS [UpdatedUserAgents]         | Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:129.0) Gecko/20100101 Firefox/129.0 | 129 | 14.6",
            "Safari on iPhone [UpdatedUserAgents]         | Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1 | 17 | 17.6",
            "Edge on Windows [UpdatedUserAgents]          | Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 Edg/127.0.2651.98 | 127 | 10",
            "Samsung Internet phone [developer.samsung.com] | Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36 | 26 | 10",
            "unknown program                              | SomeRadio/1.2 | '' | ''",
            "nothing                                      | '' | '' | ''",
    })
    void versions(String name, String userAgent, String browserVersion, String osVersion) {
        UserAgents.Classified classified = UserAgents.classify(userAgent);
        assertEquals(browserVersion, classified.browserVersion(), "browser version");
        assertEquals(osVersion, classified.osVersion(), "OS version");
    }

    /**
     * An app's own requests through Apple's CFNetwork count as the system's web view, Safari, with the
     * versions of the Darwin release (Apple's release notes: Darwin 22 is iOS 16 and macOS 13, with
     * Safari 16; Darwin 25 is the release numbered 26). macOS apps add the processor to the string.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "iPhone app, iOS 16            | Weather/1.0 CFNetwork/1410.0.3 Darwin/22.6.0                | Safari | iOS   | mobile  | 16 | 16",
            "iPhone app, iOS 17            | MyApp/2024.6.1 CFNetwork/1494.0.7 Darwin/23.4.0             | Safari | iOS   | mobile  | 17 | 17",
            "iPhone app, iOS 18            | Banking%20App/512 CFNetwork/1568.100.1 Darwin/24.0.0        | Safari | iOS   | mobile  | 18 | 18",
            "iPhone app, iOS 26            | Photos/3 CFNetwork/3826.500.111 Darwin/25.0.0               | Safari | iOS   | mobile  | 26 | 26",
            "iPhone app, iOS 12            | Maps/1 CFNetwork/978.0.7 Darwin/18.7.0                      | Safari | iOS   | mobile  | 12 | 12",
            "Mac app, macOS 14             | Notes/4.11 CFNetwork/1474 Darwin/23.0.0 (arm64)             | Safari | macOS | desktop | 17 | 14",
            "Mac app, macOS 11             | Slack/4.29 CFNetwork/1240.0.4 Darwin/20.6.0 (x86_64)        | Safari | macOS | desktop | 14 | 11",
            "Mac app, macOS 10.15          | Mail/3654 CFNetwork/1128.0.1 Darwin/19.6.0 (x86_64)         | Safari | macOS | desktop | 13 | 10.15",
    })
    void appleAppsCountAsTheirWebView(String name, String userAgent, String browser, String os, String device,
                                      String browserVersion, String osVersion) {
        UserAgents.Classified classified = UserAgents.classify(userAgent);
        assertEquals(java.util.List.of(browser, os, device, browserVersion, osVersion), java.util.List.of(classified.browser(),
                classified.os(), classified.device(), classified.browserVersion(), classified.osVersion()));
        assertFalse(UserAgents.isBot(userAgent), "an app's request is not a bot");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "curl/8.5.0",
            "Wget/1.21.4",
            "python-requests/2.31.0",
            "Go-http-client/2.0",
            "Java/21.0.2",
            "okhttp/4.12.0",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/127.0.0.0 Safari/537.36",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
    })
    void bots(String userAgent) {
        assertTrue(UserAgents.isBot(userAgent));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Android 14; Mobile; rv:129.0) Gecko/129.0 Firefox/129.0",
            // regression: "bot" at a word's end matched the phone brand Cubot
            "Mozilla/5.0 (Linux; Android 12; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
    })
    void browsersAreNotBots(String userAgent) {
        assertFalse(UserAgents.isBot(userAgent));
    }
}
