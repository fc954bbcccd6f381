package io.hitkeep.gateway;

import io.hitkeep.core.HitKeepException;
import ua_parser.OS;
import ua_parser.OSParser;
import ua_parser.UserAgent;
import ua_parser.UserAgentParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * uap-java's browser and OS parsers and uap-core's spider patterns ({@link SpiderPatterns}), built from the
 * {@code regexes.yaml} uap-java bundles (uap-core's, Apache-2.0) without a YAML library. uap-java's own
 * {@code Parser} reads that file with SnakeYAML, whose 150 classes then stay in
 * the JVM's metaspace for good (about 0.6 MiB) though they are used once, at start-up.
 *
 * <p>The file is a plain subset of YAML: three top-level lists, each of mappings from a name to a
 * single-quoted string, one per line, with comments and blank lines between. This reads exactly that subset
 * and refuses any other line, so a newer uap-java whose file uses more of YAML fails the build's tests (which
 * compare this reading with SnakeYAML's) instead of parsing wrongly. Thread-safe.
 */
final class UapRegexes {
    private static final String BUNDLED = "/ua_parser/regexes.yaml";
    /**
     * {@code  - key: 'value'} starts a mapping, {@code    key: 'value'} continues it. Inside, {@code ''} is a quote
     * and no quote stands alone ({@link #quoted}): a pattern for that would recurse once per character.
     */
    private static final Pattern ENTRY = Pattern.compile("^ +(- +)?([a-z0-9_]+): '(.*)' *$");
    private static final Pattern LIST = Pattern.compile("^([a-z_]+):$");

    private final UserAgentParser agents;
    private final OSParser systems;
    private final SpiderPatterns spiders;

    /** What HitKeep asks uap-core about a user agent: its browser, its OS, and whether its device is a spider. */
    record Parsed(UserAgent browser, OS system, boolean spider) {
    }

    private UapRegexes(Map<String, List<Map<String, String>>> lists) {
        this.agents = UserAgentParser.fromList(required(lists, "user_agent_parsers"));
        this.systems = OSParser.fromList(required(lists, "os_parsers"));
        this.spiders = new SpiderPatterns(required(lists, "device_parsers"));
    }

    /** The parsers of the regexes uap-java bundles. */
    static UapRegexes bundled() {
        try (InputStream in = UapRegexes.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new HitKeepException(BUNDLED + " is missing from the class path (uap-java)");
            }
            return new UapRegexes(read(in));
        } catch (IOException e) {
            throw new HitKeepException("cannot read " + BUNDLED + ": " + e.getMessage(), e);
        }
    }

    /**
     * What uap-java's {@code Parser.parse} answers for the browser and the OS, and whether the device it names
     * is "Spider".
     */
    Parsed parse(String userAgent) {
        return new Parsed(agents.parse(userAgent), systems.parse(userAgent), spiders.isSpider(userAgent));
    }

    /** The spider patterns, for tests. */
    SpiderPatterns spiders() {
        return spiders;
    }

    /** Each top-level list by its name, its mappings in the file's order, their keys in the file's order. */
    static Map<String, List<Map<String, String>>> read(InputStream in) throws IOException {
        Map<String, List<Map<String, String>>> lists = new LinkedHashMap<>();
        List<Map<String, String>> list = null;
        Map<String, String> mapping = null;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            Matcher top = LIST.matcher(line);
            Matcher entry = ENTRY.matcher(line);
            if (top.matches()) {
                list = new ArrayList<>();
                lists.put(top.group(1), list);
                mapping = null;
            } else if (entry.matches() && quoted(entry.group(3)) && list != null && (entry.group(1) != null || mapping != null)) {
                if (entry.group(1) != null) {
                    mapping = new LinkedHashMap<>();
                    list.add(mapping);
                }
                if (mapping.put(entry.group(2), entry.group(3).replace("''", "'")) != null) {
                    throw new IOException("line " + number + " repeats the key " + entry.group(2));
                }
            } else {
                throw new IOException("line " + number + " is not of the YAML subset this reader knows: " + line);
            }
        }
        return lists;
    }

    /** Whether {@code inside} is the inside of one single-quoted scalar: every quote in it is doubled. */
    private static boolean quoted(String inside) {
        return inside.replace("''", "").indexOf('\'') < 0;
    }

    private static List<Map<String, String>> required(Map<String, List<Map<String, String>>> lists, String name) {
        List<Map<String, String>> list = lists.get(name);
        if (list == null || list.isEmpty()) {
            throw new HitKeepException(BUNDLED + " has no " + name);
        }
        return list;
    }
}
