package io.hitkeep.gateway;

import io.hitkeep.core.Hit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * User-Agent Client Hints as Chromium browsers send them with every secure request: {@code Sec-CH-UA}
 * (brands and major versions), {@code Sec-CH-UA-Mobile}, {@code Sec-CH-UA-Platform}, and
 * {@code Sec-CH-UA-Platform-Version} (a high-entropy hint, present only where a site asked for it). They
 * name what the reduced user-agent string hides: Brave, Windows 11. Empty strings mean the header was not
 * sent. Immutable.
 *
 * @param brands          the raw {@code Sec-CH-UA} value
 * @param mobile          the raw {@code Sec-CH-UA-Mobile} value, {@code ?1} or {@code ?0}
 * @param platform        the raw {@code Sec-CH-UA-Platform} value, quoted
 * @param platformVersion the raw {@code Sec-CH-UA-Platform-Version} value, quoted
 */
record ClientHints(String brands, String mobile, String platform, String platformVersion) {
    static final ClientHints NONE = new ClientHints("", "", "", "");
    /** Longer than any real header; hints are attacker-controlled, so no more than this is read. */
    private static final int MAX_HEADER = 512;

    record Brand(String name, String version) {
    }

    ClientHints {
        brands = IngestRequest.cap(brands, MAX_HEADER);
        mobile = IngestRequest.cap(mobile, 8);
        platform = IngestRequest.cap(platform, 64);
        platformVersion = IngestRequest.cap(platformVersion, 64);
    }

    boolean isEmpty() {
        return brands.isEmpty() && mobile.isEmpty() && platform.isEmpty() && platformVersion.isEmpty();
    }

    /** One {@code "brand";v="version"} entry of the structured-header list; brands hold no quote. */
    private static final Pattern ENTRY = Pattern.compile("\"([^\"]*)\"\\s*;\\s*v\\s*=\\s*\"([^\"]*)\"");
    /**
     * GREASE: the deliberately wrong brand Chromium adds in a varying spelling ({@code " Not A;Brand"},
     * {@code "Not_A Brand"}, {@code "(Not(A:Brand"}, {@code "Not)A;Brand"}) so servers cannot whitelist brands.
     */
    private static final Pattern GREASE = Pattern.compile("(?i)not.?a.?brand");
    /** Brands under the name the dashboard already uses for them (see {@link UserAgents#browserName}). */
    private static final Map<String, String> BRAND_NAMES = Map.of(
            "Google Chrome", "Chrome",
            "Microsoft Edge", "Edge",
            "Opera GX", "Opera",
            "YaBrowser", "Yandex Browser");
    private static final Map<String, String> PLATFORMS = Map.of(
            "Windows", "Windows", "macOS", "macOS", "Linux", "Linux", "Android", "Android", "iOS", "iOS",
            "Chrome OS", "Chrome OS", "Chromium OS", "Chrome OS");
    private static final Pattern VERSION = Pattern.compile("([0-9]{1,6})(?:\\.([0-9]{1,6}))?.*");

    /** The brands without GREASE, in the order sent. */
    List<Brand> brandList() {
        List<Brand> list = new ArrayList<>();
        Matcher entry = ENTRY.matcher(brands);
        while (entry.find()) {
            String name = entry.group(1).strip();
            if (!name.isEmpty() && !GREASE.matcher(name).find()) {
                list.add(new Brand(name, entry.group(2).strip()));
            }
        }
        return list;
    }

    /** Whether the brands say headless Chrome: automation, never a visitor. */
    boolean headless() {
        return !brands.isEmpty() && brandList().stream().anyMatch(brand -> brand.name().equals("HeadlessChrome"));
    }

    /**
     * The browser the brands name: the most specific one, so "Chromium" only when nothing else is named
     * (Chrome, Edge and Opera all list Chromium beside their own brand).
     */
    Optional<Brand> browser() {
        List<Brand> brands = brandList();
        return brands.stream().filter(brand -> !brand.name().equals("Chromium")).findFirst()
                .or(() -> brands.stream().findFirst())
                .map(brand -> new Brand(BRAND_NAMES.getOrDefault(brand.name(), brand.name()), major(brand.version())));
    }

    /** Refines what the user-agent string gave: browser and version, mobile, platform and its version. */
    void refine(Hit.Builder hit) {
        if (isEmpty()) {
            return;
        }
        browser().ifPresent(brand -> {
            // "Chromium" alone says less than a browser the user-agent string recognised
            if (!brand.name().equals("Chromium") || hit.browser.isEmpty()) {
                hit.browser = IngestRequest.cap(brand.name(), 64);
                hit.browserVersion = brand.version();
            }
        });
        if (mobile.equals("?1")) {
            hit.device = "mobile";
        }
        String os = PLATFORMS.get(unquote(platform));
        if (os == null) {
            return; // "Unknown", absent, or made up
        }
        if (!os.equals(hit.os)) {
            hit.os = os;
            hit.osVersion = "";
        }
        Matcher version = VERSION.matcher(unquote(platformVersion));
        if (version.matches()) {
            hit.osVersion = osVersion(os, Integer.parseInt(version.group(1)), version.group(2)).orElse(hit.osVersion);
        }
    }

    /**
     * Windows reports its build family, not its name: 13 and up is Windows 11, 1 to 10 is Windows 10, 0 is
     * older (learn.microsoft.com/microsoft-edge/web-platform/how-to-detect-win11). macOS and iOS keep the
     * minor version, as their user-agent strings do; others the major.
     */
    private static Optional<String> osVersion(String os, int major, String minor) {
        return switch (os) {
            case "Windows" -> major >= 13 ? Optional.of("11") : major >= 1 ? Optional.of("10") : Optional.empty();
            case "macOS", "iOS" -> Optional.of(minor == null ? Integer.toString(major) : major + "." + minor);
            default -> Optional.of(Integer.toString(major));
        };
    }

    private static String major(String version) {
        Matcher matcher = VERSION.matcher(version);
        return matcher.matches() ? matcher.group(1) : "";
    }

    private static String unquote(String value) {
        String stripped = value.strip();
        return stripped.length() >= 2 && stripped.startsWith("\"") && stripped.endsWith("\"")
                ? stripped.substring(1, stripped.length() - 1) : stripped;
    }
}
