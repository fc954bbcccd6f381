package io.hitkeep.gateway;

import io.hitkeep.core.Hit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client hints through the pipeline, with header values as browsers send them. Sources, in brackets on
 * each row: MDN's Sec-CH-UA page (developer.mozilla.org/docs/Web/HTTP/Headers/Sec-CH-UA), which lists
 * Chromium, Chrome, Edge and Opera desktop values; Chrome's client-hints article
 * (developer.chrome.com/docs/privacy-security/user-agent-client-hints); Microsoft's Windows 11 detection
 * guide (learn.microsoft.com/microsoft-edge/web-platform/how-to-detect-win11) for platform versions; and
 * captures of Chrome 124+ whose GREASE brand is spelled "Not-A.Brand" / "Not_A Brand".
 */
class ClientHintsTest {
    /** Chrome's reduced user-agent strings (chromium.org/updates/ua-reduction): they freeze OS versions. */
    static final String CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    static final String CHROME_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    static final String CHROME_ANDROID = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    static final String CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    final IngestPipeline pipeline = new IngestPipeline(IngestPipelineTest.SITES, IngestPipelineTest.salt("salt"), true);

    static IngestRequest request(String userAgent, ClientHints hints) {
        return new IngestRequest(URI.create("https://example.com/"), "", "", "", 0, Map.of(), "", "",
                IngestPipelineTest.NOW, userAgent, "203.0.113.9", false, hints);
    }

    /** Columns: user agent, Sec-CH-UA, -Mobile, -Platform, -Platform-Version; wanted browser, version, OS, OS version, device. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            // [MDN] Chrome 96 desktop, GREASE first with a leading space
            "Chrome, GREASE first [MDN]         | CHROME_WINDOWS | \" Not A;Brand\";v=\"99\", \"Chromium\";v=\"96\", \"Google Chrome\";v=\"96\" | ?0 | \"Windows\" | ''         | Chrome | 96  | Windows | 10   | desktop",
            // [MDN] Edge 96 desktop
            "Edge [MDN]                         | CHROME_WINDOWS | \" Not A;Brand\";v=\"99\", \"Chromium\";v=\"96\", \"Microsoft Edge\";v=\"96\" | ?0 | \"Windows\" | ''     | Edge   | 96  | Windows | 10   | desktop",
            // [MDN] Opera 81 desktop, GREASE in the middle
            "Opera, GREASE in the middle [MDN]  | CHROME_WINDOWS | \"Opera\";v=\"81\", \" Not;A Brand\";v=\"99\", \"Chromium\";v=\"95\" | ?0 | \"Windows\" | ''           | Opera  | 81  | Windows | 10   | desktop",
            // [MDN] plain Chromium 98 on Linux: Chromium is all there is, but the string already said Chrome
            "Chromium alone [MDN]               | CHROME_LINUX   | \"(Not(A:Brand\";v=\"8\", \"Chromium\";v=\"98\" | ?0 | \"Linux\" | ''                                  | Chrome | 124 | Linux   | ''   | desktop",
            // a string uap-core does not know; not a bare "SomeRadio/1.2", which is a program and dropped as a bot
            "Chromium alone, unknown string     | Mozilla/5.0 (X11; Linux x86_64) SomeRadio/1.2 | \"(Not(A:Brand\";v=\"8\", \"Chromium\";v=\"98\" | ?0 | \"Linux\" | '' | Chromium | 98 | Linux  | ''   | desktop",
            // [Microsoft] Windows 11 reports platform version 13 or more; the UA string says 10 forever
            "Windows 11 [Microsoft]             | CHROME_WINDOWS | \"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\" | ?0 | \"Windows\" | \"15.0.0\" | Chrome | 124 | Windows | 11 | desktop",
            "Windows 10 [Microsoft]             | CHROME_WINDOWS | \"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\" | ?0 | \"Windows\" | \"10.0.0\" | Chrome | 124 | Windows | 10 | desktop",
            // [Chrome's article] macOS's real version, frozen at 10_15_7 in the string
            "macOS Sonoma [developer.chrome.com] | CHROME_MAC    | \"Google Chrome\";v=\"124\", \"Chromium\";v=\"124\", \"Not_A Brand\";v=\"24\" | ?0 | \"macOS\" | \"14.4.1\" | Chrome | 124 | macOS | 14.4 | desktop",
            // the reduced Android string has no "Mobile" token here (so it reads as a tablet); the hint says phone
            "Android phone by hint              | CHROME_ANDROID | \"Google Chrome\";v=\"124\", \"Chromium\";v=\"124\", \"Not-A.Brand\";v=\"99\" | ?1 | \"Android\" | \"14.0.0\" | Chrome | 124 | Android | 14 | mobile",
            // Brave names itself only in the hints; its string is Chrome's
            "Brave                              | CHROME_WINDOWS | \"Brave\";v=\"124\", \"Chromium\";v=\"124\", \"Not-A.Brand\";v=\"99\" | ?0 | \"Windows\" | '' | Brave | 124 | Windows | 10 | desktop",
            "no hints: the string decides       | CHROME_MAC     | '' | '' | '' | ''                                                                                 | Chrome | 124 | macOS   | 10.15 | desktop",
            "platform Unknown is ignored        | CHROME_MAC     | '' | '' | \"Unknown\" | ''                                                                        | Chrome | 124 | macOS   | 10.15 | desktop",
            "malformed brands are ignored       | CHROME_MAC     | 'Chromium, Brave;v=1' | '' | '' | ''                                                             | Chrome | 124 | macOS   | 10.15 | desktop",
    })
    void refines(String name, String userAgent, String brands, String mobile, String platform, String platformVersion,
                 String browser, String browserVersion, String os, String osVersion, String device) {
        String agent = switch (userAgent) {
            case "CHROME_WINDOWS" -> CHROME_WINDOWS;
            case "CHROME_MAC" -> CHROME_MAC;
            case "CHROME_ANDROID" -> CHROME_ANDROID;
            case "CHROME_LINUX" -> CHROME_LINUX;
            default -> userAgent;
        };

        IngestPipeline.Outcome outcome = pipeline.process(request(agent, new ClientHints(brands, mobile, platform, platformVersion)));

        Hit hit = outcome.hit().orElseThrow(() -> new AssertionError("dropped: " + outcome.dropped()));
        assertEquals(List.of(browser, browserVersion, os, osVersion, device),
                List.of(hit.browser(), hit.browserVersion(), hit.os(), hit.osVersion(), hit.device()));
    }

    /** What Puppeteer's new headless mode sends: a normal-looking string, but the brand gives it away. */
    @Test
    void headlessChromeBrandIsABot() {
        ClientHints headless = new ClientHints("\"Chromium\";v=\"124\", \"HeadlessChrome\";v=\"124\", \"Not-A.Brand\";v=\"99\"",
                "?0", "\"Linux\"", "");

        assertEquals(Optional.of(DropReason.BOT), pipeline.process(request(CHROME_LINUX, headless)).dropped());
        assertTrue(headless.headless());
    }

    @Test
    void greaseIsNoBrand() {
        for (String grease : List.of(" Not A;Brand", "Not_A Brand", "(Not(A:Brand", "Not)A;Brand", "Not-A.Brand", "Not/A)Brand")) {
            ClientHints hints = new ClientHints("\"" + grease + "\";v=\"99\", \"Chromium\";v=\"120\"", "", "", "");
            assertEquals(List.of(new ClientHints.Brand("Chromium", "120")), hints.brandList(), grease);
        }
        assertFalse(ClientHints.NONE.headless());
    }
}
