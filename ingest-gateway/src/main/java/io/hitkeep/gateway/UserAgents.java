package io.hitkeep.gateway;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small user-agent classifier for the browsers and systems that carry nearly all traffic: browser
 * family, OS family and device type. Rules are tried in order; the first match wins, which is why Edge
 * and Opera come before Chrome (their strings contain "Chrome") and Chrome before Safari. Thread-safe.
 */
final class UserAgents {
    record Classified(String browser, String os, String device) {
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
    private static final java.util.concurrent.ConcurrentHashMap<String, Parsed> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

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

    private record Rule(Pattern pattern, String name) {
    }

    private static final List<Rule> BROWSERS = List.of(
            new Rule(Pattern.compile("Edg(e|A|iOS)?/"), "Edge"),
            new Rule(Pattern.compile("OPR/|Opera"), "Opera"),
            new Rule(Pattern.compile("SamsungBrowser/"), "Samsung Internet"),
            new Rule(Pattern.compile("YaBrowser/"), "Yandex Browser"),
            new Rule(Pattern.compile("Vivaldi/"), "Vivaldi"),
            new Rule(Pattern.compile("Firefox/|FxiOS/"), "Firefox"),
            new Rule(Pattern.compile("CriOS/|Chrome/|Chromium/"), "Chrome"),
            new Rule(Pattern.compile("Version/[\\d.]+.*Safari/|AppleWebKit/.*Mobile/"), "Safari"),
            new Rule(Pattern.compile("MSIE |Trident/"), "Internet Explorer"));
    private static final List<Rule> SYSTEMS = List.of(
            new Rule(Pattern.compile("Windows"), "Windows"),
            new Rule(Pattern.compile("iPhone|iPad|iPod"), "iOS"),
            new Rule(Pattern.compile("Android"), "Android"),
            new Rule(Pattern.compile("CrOS"), "Chrome OS"),
            new Rule(Pattern.compile("Mac OS X|Macintosh"), "macOS"),
            new Rule(Pattern.compile("Linux|X11"), "Linux"));
    private static final Pattern TABLET = Pattern.compile("iPad|Tablet|Android(?!.*Mobile)");
    private static final Pattern MOBILE = Pattern.compile("Mobile|iPhone|iPod|Android.*Mobile|Windows Phone");

    static Classified classify(String userAgent) {
        String browser = first(BROWSERS, userAgent);
        String os = first(SYSTEMS, userAgent);
        String device;
        if (TABLET.matcher(userAgent).find()) {
            device = "tablet";
        } else if (MOBILE.matcher(userAgent).find()) {
            device = "mobile";
        } else if (!os.isEmpty()) {
            device = "desktop";
        } else {
            device = userAgent.isEmpty() ? "" : "other";
        }
        return new Classified(browser, os, device);
    }

    private static String first(List<Rule> rules, String userAgent) {
        for (Rule rule : rules) {
            Matcher matcher = rule.pattern().matcher(userAgent);
            if (matcher.find()) {
                return rule.name();
            }
        }
        return "";
    }

    /** Crawlers, scripts and headless browsers that announce themselves. */
    private static final Pattern BOT = Pattern.compile(
            // (?<!cu): the phone brand Cubot ("CUBOT X30") is no crawler
            "(?<!cu)bot\\b|bot/|crawl|spider|slurp|headless|phantomjs|lighthouse|pingdom|uptime|monitor|curl/|wget/"
                    + "|python-requests|python-urllib|go-http-client|java/|okhttp|axios/|node-fetch|scrapy|httpclient"
                    + "|facebookexternalhit|embedly|preview|gptbot|claudebot|perplexity|bytespider|ccbot");

    static boolean isBot(String userAgent) {
        return userAgent.isBlank() || BOT.matcher(userAgent.toLowerCase(Locale.ROOT)).find();
    }
}
