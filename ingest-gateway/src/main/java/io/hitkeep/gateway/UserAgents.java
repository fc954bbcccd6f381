package io.hitkeep.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.Json;
import ua_parser.Client;
import ua_parser.Parser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * User agents: browser family, OS family and device type by uap-java (uap-core's regexes, Apache-2.0),
 * with the browser's major version and the OS version, and bots by the crawler-user-agents list (MIT,
 * fetched by the build) plus our own heuristics. Thread-safe.
 */
final class UserAgents {
    /**
     * @param browserVersion the major version only ("128"): minor versions split a list into noise
     * @param osVersion      major and minor where the string has them ("17.6", "10.15"), else the major
     */
    record Classified(String browser, String os, String device, String browserVersion, String osVersion) {
    }

    /** What the pipeline needs of a user agent: whether it is a bot, and its classification. */
    record Parsed(boolean bot, Classified classified) {
    }

    /**
     * Parsing is regex work and the same few hundred strings carry most traffic, so results are cached.
     * The cache is simply emptied when full: cheaper than LRU bookkeeping on every hit, and refilled in
     * moments.
     */
    private static final int CACHE_SIZE = 20_000;
    private static final int CACHEABLE_LENGTH = 512;
    private static final ConcurrentHashMap<String, Parsed> CACHE = new ConcurrentHashMap<>();

    static Parsed parse(String userAgent) {
        Parsed cached = CACHE.get(userAgent);
        if (cached != null) {
            return cached;
        }
        Parsed parsed = new Parsed(isBot(userAgent), classify(userAgent));
        if (userAgent.length() <= CACHEABLE_LENGTH) {
            if (CACHE.size() >= CACHE_SIZE) {
                CACHE.clear();
            }
            CACHE.put(userAgent, parsed);
        }
        return parsed;
    }

    /** uap-java's parser with the regexes it bundles; immutable after construction. */
    private static final Parser UAP = new Parser();

    /**
     * uap-core names the mobile build of a browser as a family of its own ("Mobile Safari", "Chrome Mobile
     * iOS"); the dashboard has a device column for that, so these count as the browser they are.
     */
    private static final Map<String, String> BROWSER_NAMES = Map.ofEntries(
            Map.entry("Mobile Safari", "Safari"),
            Map.entry("Mobile Safari UI/WKWebView", "Safari"),
            Map.entry("Chrome Mobile", "Chrome"),
            Map.entry("Chrome Mobile iOS", "Chrome"),
            Map.entry("Firefox Mobile", "Firefox"),
            Map.entry("Firefox iOS", "Firefox"),
            Map.entry("Edge Mobile", "Edge"),
            Map.entry("Opera Mobile", "Opera"),
            Map.entry("IE", "Internet Explorer"),
            Map.entry("IE Mobile", "Internet Explorer"),
            Map.entry("Other", ""));
    private static final Map<String, String> OS_NAMES = Map.of(
            "Mac OS X", "macOS",
            "Other", "");
    /** Systems whose devices are desktops unless the string says otherwise. */
    private static final Set<String> DESKTOP_SYSTEMS = Set.of("Windows", "macOS", "Linux", "Ubuntu", "Fedora",
            "Debian", "Chrome OS", "FreeBSD", "OpenBSD", "NetBSD", "Mint", "Arch Linux", "Gentoo", "Mageia",
            "Red Hat", "SUSE", "Slackware", "Kubuntu", "Solaris", "Windows 10", "Windows 7", "Windows XP");
    private static final Pattern TABLET = Pattern.compile("iPad|Tablet|Kindle|Silk/|PlayBook|Android(?!.*Mobile)");
    private static final Pattern MOBILE = Pattern.compile("Mobile|iPhone|iPod|Windows Phone|Opera Mini|BlackBerry|Symbian");

    /** The name the dashboard shows for one of uap-core's browser families. */
    static String browserName(String uapFamily) {
        return BROWSER_NAMES.getOrDefault(uapFamily, uapFamily);
    }

    /** Browser family, OS family and device type (desktop, mobile, tablet, bot, other; empty for no user agent). */
    static Classified classify(String userAgent) {
        if (userAgent.isBlank()) {
            return new Classified("", "", "", "", "");
        }
        Client client = UAP.parse(userAgent);
        String browser = browserName(client.userAgent.family);
        String os = OS_NAMES.getOrDefault(client.os.family, client.os.family);
        String device;
        if ("Spider".equals(client.device.family)) {
            device = "bot";
        } else if (TABLET.matcher(userAgent).find()) {
            device = "tablet";
        } else if (MOBILE.matcher(userAgent).find() || os.equals("iOS") || os.equals("Android")) {
            device = "mobile";
        } else if (DESKTOP_SYSTEMS.contains(os)) {
            device = "desktop";
        } else {
            device = "other";
        }
        String browserVersion = browser.isEmpty() ? "" : number(client.userAgent.major);
        String osVersion = os.isEmpty() ? "" : number(client.os.major);
        if (!osVersion.isEmpty() && !number(client.os.minor).isEmpty()) {
            osVersion += "." + number(client.os.minor);
        }
        return new Classified(browser, os, device, browserVersion, osVersion);
    }

    private static final Pattern VERSION_PART = Pattern.compile("[0-9]{1,6}");

    /** A version part as uap-java gives it (null when absent), kept only when it is a plain number. */
    private static String number(String part) {
        return part != null && VERSION_PART.matcher(part).matches() ? part : "";
    }

    /**
     * Crawlers, scripts, headless browsers, monitors, link previews and AI crawlers that announce
     * themselves, beyond the list. (?<!cu)bot: the phone brand Cubot ("CUBOT X30") is no crawler.
     */
    private static final Pattern HEURISTICS = Pattern.compile(
            "(?<!cu)bot\\b|bot/|crawl|spider|slurp|headless|phantomjs|lighthouse|pingdom|uptime|monitor|curl/|wget/"
                    + "|python-requests|python-urllib|go-http-client|java/|okhttp|axios/|node-fetch|scrapy|httpclient"
                    + "|facebookexternalhit|embedly|preview|gptbot|claudebot|perplexity|bytespider|ccbot");

    /** The crawler-user-agents list: plain substrings, and one alternation for the patterns that are regexes. */
    private static final BotList LIST = BotList.load();

    record BotList(List<String> substrings, Pattern patterns, int size) {
        private static final Pattern META = Pattern.compile("[\\[\\](){}.*+?^$|]");

        static BotList load() {
            try (InputStream in = UserAgents.class.getResourceAsStream("data/crawler-user-agents.json")) {
                if (in == null) {
                    throw new IllegalStateException("data/crawler-user-agents.json is not on the classpath: the build fetches it"
                            + " (ingest-gateway/src/build/fetch-data.sh)");
                }
                JsonNode entries = Json.MAPPER.readTree(in);
                List<String> substrings = new ArrayList<>();
                List<String> regexes = new ArrayList<>();
                for (JsonNode entry : entries) {
                    String pattern = entry.path("pattern").asText("");
                    if (pattern.isEmpty()) {
                        continue;
                    }
                    String unescaped = pattern.replaceAll("\\\\([^A-Za-z0-9])", "$1");
                    boolean literal = !META.matcher(pattern.replaceAll("\\\\[^A-Za-z0-9]", "")).find()
                            && !unescaped.contains("\\");
                    if (literal && !Character.isDigit(unescaped.charAt(0))) {
                        substrings.add(unescaped);
                    } else if (literal) {
                        // a name that starts with a digit must start a number: the 008 crawler's "008/" is also
                        // the end of Opera Mini's build number ("Opera Mini/4.4.39008/37.9178")
                        regexes.add("(?<![0-9])" + Pattern.quote(unescaped));
                    } else {
                        regexes.add("(?:" + pattern + ")");
                    }
                }
                return new BotList(List.copyOf(substrings), Pattern.compile(String.join("|", regexes)),
                        substrings.size() + regexes.size());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        boolean matches(String userAgent) {
            for (String substring : substrings) {
                if (userAgent.contains(substring)) {
                    return true;
                }
            }
            return patterns.matcher(userAgent).find();
        }
    }

    /** How many patterns the bundled list has. */
    static int listSize() {
        return LIST.size();
    }

    static boolean isBot(String userAgent) {
        return userAgent.isBlank() || HEURISTICS.matcher(userAgent.toLowerCase(Locale.ROOT)).find()
                || LIST.matches(userAgent);
    }
}
