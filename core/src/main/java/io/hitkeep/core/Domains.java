package io.hitkeep.core;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a site is named: the host of its pages, lower case, without {@code www.}. The gateway maps a hit's
 * URL to its site with the same rule the writer uses when a site is added.
 */
public final class Domains {
    /** Labels of letters, digits and inner hyphens, at least two, the last (the top-level domain) led by a letter. */
    private static final Pattern HOST = Pattern.compile(
            "([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");

    private Domains() {
    }

    /** The site key for a host: {@code WWW.Example.com.} becomes {@code example.com}. */
    public static String siteKey(String host) {
        String key = host.toLowerCase(Locale.ROOT);
        if (key.endsWith(".")) {
            key = key.substring(0, key.length() - 1);
        }
        return key.startsWith("www.") ? key.substring(4) : key;
    }

    /**
     * A domain as a user types it ({@code https://www.Example.com/blog}) made into a site key, or empty
     * when it is not a host name: {@code mars}, {@code true} and {@code 1.0e308} are not, nor is anything
     * with a port (a site is its host on any port). Internationalised names become their ASCII form.
     * {@code localhost} and IPv4 addresses are hosts too: the tracker counts pages on them when asked
     * ({@code data-allow-localhost}), which is how a site is tried out before it goes live.
     */
    public static Optional<String> parse(String typed) {
        String text = typed.strip();
        int scheme = text.indexOf("://");
        if (scheme >= 0) {
            text = text.substring(scheme + 3);
        }
        for (char end : new char[] {'/', '?', '#'}) {
            int cut = text.indexOf(end);
            if (cut >= 0) {
                text = text.substring(0, cut);
            }
        }
        if (text.isEmpty() || text.length() > 253) {
            return Optional.empty();
        }
        try {
            text = IDN.toASCII(text, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String key = siteKey(text);
        boolean host = HOST.matcher(key).matches() || IPV4.matcher(key).matches() || key.equals("localhost");
        return host ? Optional.of(key) : Optional.empty();
    }
}
