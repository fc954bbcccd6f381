package io.hitkeep.gateway;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * User agents: browser family, OS family and device type by uap-java (uap-core's regexes, Apache-2.0),
 * with the browser's major version and the OS version, and bots by {@link Bots}. Thread-safe.
 */
final class UserAgents {
    /**
     * @param browserVersion the major version only ("128"): minor versions split a list into noise
     * @param osVersion      major and minor where the string has them ("17.6", "10.15"), else the major
     */
    record Classified(String browser, String os, String device, String browserVersion, String osVersion) {
    }

    /** What the pipeline needs of a user agent: the kind of bot it is (empty for a browser), and its classification. */
    record Parsed(Optional<Bots.Category> bot, Classified classified) {
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
        Parsed parsed = new Parsed(botCategory(userAgent), classify(userAgent));
        if (userAgent.length() <= CACHEABLE_LENGTH) {
            if (CACHE.size() >= CACHE_SIZE) {
                CACHE.clear();
            }
            CACHE.put(userAgent, parsed);
        }
        return parsed;
    }

    /** uap-java's parsers with the regexes it bundles; immutable after construction. */
    private static final UapRegexes UAP = UapRegexes.bundled();

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
        if (userAgent.contains("CFNetwork/")) {
            Optional<Classified> app = appleApp(userAgent);
            if (app.isPresent()) {
                return app.get();
            }
        }
        UapRegexes.Parsed uap = UAP.parse(userAgent);
        String browser = browserName(uap.browser().family);
        String os = OS_NAMES.getOrDefault(uap.system().family, uap.system().family);
        String device;
        if (uap.spider()) {
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
        String browserVersion = browser.isEmpty() ? "" : number(uap.browser().major);
        String osVersion = os.isEmpty() ? "" : number(uap.system().major);
        if (!osVersion.isEmpty() && !number(uap.system().minor).isEmpty()) {
            osVersion += "." + number(uap.system().minor);
        }
        return new Classified(browser, os, device, browserVersion, osVersion);
    }

    /**
     * The requests an iOS or macOS app makes itself: "Weather/1.0 CFNetwork/1410.0.3 Darwin/22.6.0", where
     * macOS apps add the processor ("Darwin/23.0.0 (arm64)"). What such an app shows
     * is WebKit, the system's web view, so it counts as Safari of the Darwin release, not as a browser
     * named CFNetwork.
     */
    private static final Pattern APPLE_APP = Pattern.compile(
            "\\bCFNetwork/[0-9.]+ Darwin/([0-9]{1,3})\\.[0-9.]+(?: \\((x86_64|arm64|i386)\\))?");

    /**
     * Darwin's major version as the iOS, macOS and Safari versions of the same release (Apple's release
     * notes: Darwin 22 is iOS 16, macOS 13 and Safari 16; Darwin 25 is the year-named release 26). The
     * minor versions do not line up reliably, so only majors are given.
     */
    static Optional<Classified> appleApp(String userAgent) {
        Matcher app = APPLE_APP.matcher(userAgent);
        if (!app.find()) {
            return Optional.empty();
        }
        int darwin = Integer.parseInt(app.group(1));
        if (darwin < 13) {
            return Optional.empty(); // before iOS 7: no version mapping worth keeping
        }
        boolean mac = app.group(2) != null;
        String safari = Integer.toString(darwin >= 25 ? darwin + 1 : darwin - 6);
        String system;
        if (!mac) {
            system = safari;
        } else if (darwin >= 25) {
            system = Integer.toString(darwin + 1);
        } else if (darwin >= 20) {
            system = Integer.toString(darwin - 9);
        } else {
            system = "10." + (darwin - 4);
        }
        return Optional.of(new Classified("Safari", mac ? "macOS" : "iOS", mac ? "desktop" : "mobile", safari, system));
    }

    private static final Pattern VERSION_PART = Pattern.compile("[0-9]{1,6}");

    /** A version part as uap-java gives it (null when absent), kept only when it is a plain number. */
    private static String number(String part) {
        return part != null && VERSION_PART.matcher(part).matches() ? part : "";
    }

    /** The kind of bot the user agent is ({@link Bots}), or empty for a browser. */
    static Optional<Bots.Category> botCategory(String userAgent) {
        return Bots.bundled().category(userAgent);
    }

    static boolean isBot(String userAgent) {
        return botCategory(userAgent).isPresent();
    }
}
