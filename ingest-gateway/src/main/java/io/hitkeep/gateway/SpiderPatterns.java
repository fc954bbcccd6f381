package io.hitkeep.gateway;

import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * uap-core's device patterns, asked one question: is this user agent a spider? uap-java's {@code DeviceParser}
 * tries its 628 patterns in the file's order and names the device after the first that matches. HitKeep keeps
 * only whether that name is "Spider" (the device column says mobile or tablet from the string itself), and
 * only 7 patterns say "Spider". So those 7 are tried first, in the file's order: a user agent that matches none
 * of them is no spider, whatever else would match. When one matches, the answer is "spider" unless a pattern
 * before it in the file matches too. For the first six there is none; the catch-all one (bot, crawl, silk,
 * yahoo and many more words) comes after 614 brand patterns, and a Kindle's "Silk/" browser matches both.
 *
 * <p>Those other patterns are compiled only when such a user agent comes, and are held softly: uap-java keeps
 * all 628 compiled for good, 0.9 MB of a server's heap at rest (a thirteenth of its live set), and tries all of
 * them on every new user agent. Answers as uap-java does for every user agent of uap-core's test files
 * ({@code UapRegexesTest}). Thread-safe: two threads that compile at the same moment compile the same patterns.
 */
final class SpiderPatterns {
    private static final String SPIDER = "Spider";

    /** A device pattern as text, and its place among them. */
    private record Source(int index, String regex, boolean ignoreCase) {
        /** As uap-java compiles a device pattern: {@code regex_flag: 'i'} is the only flag uap-core uses. */
        static Source of(int index, Map<String, String> device) {
            String regex = device.get("regex");
            if (regex == null) {
                throw new IllegalArgumentException("device pattern " + index + " has no regex");
            }
            return new Source(index, regex, "i".equals(device.get("regex_flag")));
        }

        Placed compile() {
            return new Placed(index, ignoreCase ? Pattern.compile(regex, Pattern.CASE_INSENSITIVE) : Pattern.compile(regex));
        }
    }

    /** A compiled device pattern and its place among them. */
    private record Placed(int index, Pattern pattern) {
    }

    private final List<Placed> spiders = new ArrayList<>();
    /** The other patterns before the last spider pattern, in the file's order. */
    private final List<Source> othersBefore = new ArrayList<>();
    private volatile SoftReference<List<Placed>> othersCompiled = new SoftReference<>(null);

    /** @param devices uap-core's {@code device_parsers}, in the file's order */
    SpiderPatterns(List<Map<String, String>> devices) {
        int lastSpider = -1;
        for (int i = 0; i < devices.size(); i++) {
            if (SPIDER.equals(devices.get(i).get("device_replacement"))) {
                spiders.add(Source.of(i, devices.get(i)).compile());
                lastSpider = i;
            }
        }
        for (int i = 0; i < lastSpider; i++) {
            if (!SPIDER.equals(devices.get(i).get("device_replacement"))) {
                Source other = Source.of(i, devices.get(i));
                other.compile();  // a bad pattern fails at start, not at the first Kindle
                othersBefore.add(other);
            }
        }
    }

    /** Whether uap-core's first device pattern to match {@code userAgent} names it "Spider". */
    boolean isSpider(String userAgent) {
        for (Placed spider : spiders) {
            if (spider.pattern().matcher(userAgent).find()) {
                return !anyOtherMatchesBefore(spider.index(), userAgent);
            }
        }
        return false;
    }

    private boolean anyOtherMatchesBefore(int index, String userAgent) {
        for (Placed other : others()) {
            if (other.index() >= index) {
                return false;
            }
            if (other.pattern().matcher(userAgent).find()) {
                return true;
            }
        }
        return false;
    }

    private List<Placed> others() {
        List<Placed> compiled = othersCompiled.get();
        if (compiled == null) {
            compiled = othersBefore.stream().map(Source::compile).toList();
            othersCompiled = new SoftReference<>(compiled);
        }
        return compiled;
    }

    /** Drops the compiled other patterns, as a collection short of memory would (for tests). */
    void forgetOthers() {
        othersCompiled = new SoftReference<>(null);
    }
}
