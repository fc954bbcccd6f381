package io.hitkeep.gateway;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The user-agent steps against outside corpora: uap-core's tests/test_ua.yaml (Apache-2.0, fetched by the
 * build from Debian's uap-core package, see src/build/fetch-data.sh). Each test prints its figure; the bot
 * figures are in BotsCorpusTest.
 */
class UserAgentsCorpusTest {
    static final List<Path> UAP_CORE = List.of(Path.of("target/data-download/uap-core/usr/share/uap-core"),
            Path.of("/usr/share/uap-core"));

    /** Families of browsers people browse with: the cases a bot test must not drop. */
    static final Set<String> BROWSERS = Set.of("Chrome", "Chrome Mobile", "Chrome Mobile iOS", "Firefox", "Firefox Mobile",
            "Firefox iOS", "Safari", "Mobile Safari", "Mobile Safari UI/WKWebView", "Edge", "Edge Mobile", "Opera",
            "Opera Mobile", "Opera Mini", "Samsung Internet", "IE", "IE Mobile", "Yandex Browser", "UC Browser",
            "Vivaldi", "Brave", "Chromium", "Silk", "Android", "Chrome Mobile WebView", "Facebook", "Instagram",
            "MiuiBrowser", "Puffin", "QQ Browser", "Sogou Explorer", "Maxthon", "Iron", "Pale Moon", "SeaMonkey",
            "Epiphany", "Konqueror", "Amazon Silk", "BlackBerry WebKit", "Nokia Browser", "Coc Coc", "DuckDuckGo Mobile");

    record Case(String userAgent, String family) {
    }

    @SuppressWarnings("unchecked")
    static List<Case> uapCases(String name) throws IOException {
        Path file = UAP_CORE.stream().map(folder -> folder.resolve(name)).filter(Files::isRegularFile).findFirst().orElse(null);
        assumeTrue(file != null, "uap-core's " + name + " was not fetched (apt-get download uap-core); skipped");
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024);
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> root = new Yaml(options).load(reader);
            List<Case> cases = new ArrayList<>();
            for (Map<String, Object> test : (List<Map<String, Object>>) root.get("test_cases")) {
                cases.add(new Case(String.valueOf(test.get("user_agent_string")), String.valueOf(test.get("family"))));
            }
            return cases;
        }
    }

    /** Browser family right for at least 97% of the cases uap-core names a browser for ("Other" is unsupported). */
    @Test
    void browserFamilyAccuracyOverUapCore() throws IOException {
        int supported = 0;
        int right = 0;
        List<String> wrong = new ArrayList<>();
        for (Case test : uapCases("tests/test_ua.yaml")) {
            // apps' own CFNetwork requests count as Safari, their web view, where uap-core names the app
            // ("Luminary") or CFNetwork itself: UserAgentsTest.appleAppsCountAsTheirWebView has those
            if (test.family().equals("Other") || test.userAgent().contains("CFNetwork/")) {
                continue;
            }
            supported++;
            String wanted = UserAgents.browserName(test.family());
            String got = UserAgents.classify(test.userAgent()).browser();
            if (got.equals(wanted)) {
                right++;
            } else if (wrong.size() < 10) {
                wrong.add(wanted + " -> " + got + ": " + test.userAgent());
            }
        }
        double accuracy = 100.0 * right / supported;
        System.out.printf("uap-core test_ua.yaml: browser family right for %d of %d supported cases (%.2f%%)%n", right,
                supported, accuracy);
        wrong.forEach(line -> System.out.println("  wrong: " + line));
        assertTrue(accuracy >= 97.0, "accuracy " + accuracy);
    }

    /**
     * uap-core's real-browser cases: the cases of test_ua.yaml with a browser family (less those uap-core
     * itself calls a spider, such as "Google Web Preview" in a Chrome string), and every case of its Firefox
     * and Opera Mini collections.
     */
    static List<Case> browserCases() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (Case test : uapCases("tests/test_ua.yaml")) {
            if (BROWSERS.contains(test.family()) && !UserAgents.classify(test.userAgent()).device().equals("bot")) {
                cases.add(test);
            }
        }
        cases.addAll(uapCases("test_resources/firefox_user_agent_strings.yaml"));
        cases.addAll(uapCases("test_resources/opera_mini_user_agent_strings.yaml"));
        return cases;
    }

    /** At most 1% of uap-core's real-browser cases are taken for bots (BotsCorpusTest splits this figure). */
    @Test
    void uapCoreBrowsersAreNotBots() throws IOException {
        int browsers = 0;
        int dropped = 0;
        List<String> falsePositives = new ArrayList<>();
        for (Case test : browserCases()) {
            browsers++;
            if (UserAgents.isBot(test.userAgent())) {
                dropped++;
                if (falsePositives.size() < 20) {
                    falsePositives.add(test.family() + ": " + test.userAgent());
                }
            }
        }
        double rate = 100.0 * dropped / browsers;
        System.out.printf("uap-core browser cases: %d of %d taken for bots (%.2f%%)%n", dropped, browsers, rate);
        falsePositives.forEach(line -> System.out.println("  dropped: " + line));
        assertTrue(rate <= 1.0, "dropped " + rate);
    }
}
