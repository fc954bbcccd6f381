package io.hitkeep.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Page-path patterns, comma separated, such as a site's excluded paths ({@code /admin/*, /preview}). A
 * pattern starts with {@code /}; {@code *} stands for any run of characters, slashes included, so
 * {@code /admin/*} covers everything below {@code /admin/}; anything else matches itself. Paths are
 * matched as the pipeline normalised them (decoded, no query, no trailing slash). Immutable; two lists are
 * equal when they hold the same patterns.
 */
public final class PathGlobs {
    public static final PathGlobs NONE = new PathGlobs(List.of(), List.of());
    public static final int MAX_PATTERNS = 50;
    private static final int MAX_LENGTH = 256;

    private final List<String> globs;
    private final List<Pattern> patterns;

    private PathGlobs(List<String> globs, List<Pattern> patterns) {
        this.globs = globs;
        this.patterns = patterns;
    }

    /** Parses the list; a bad pattern raises {@link HitKeepException} whose message starts with {@code setting}. */
    public static PathGlobs parse(String setting, String list) {
        List<String> globs = new ArrayList<>();
        List<Pattern> patterns = new ArrayList<>();
        for (String entry : list.split(",")) {
            String glob = entry.strip();
            if (glob.isEmpty()) {
                continue;
            }
            if (!glob.startsWith("/") || glob.length() > MAX_LENGTH || glob.chars().anyMatch(Character::isWhitespace)) {
                throw new HitKeepException(setting + ": '" + glob + "' is not a path pattern such as /admin/*"
                        + " (starts with /, no spaces, at most " + MAX_LENGTH + " characters)");
            }
            globs.add(glob);
            patterns.add(compile(glob));
        }
        if (globs.size() > MAX_PATTERNS) {
            throw new HitKeepException(setting + ": more than " + MAX_PATTERNS + " patterns");
        }
        return new PathGlobs(List.copyOf(globs), List.copyOf(patterns));
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String literal : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(literal));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    public boolean matches(String path) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return globs.isEmpty();
    }

    /** The patterns, comma separated. */
    @Override
    public String toString() {
        return String.join(",", globs);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PathGlobs paths && paths.globs.equals(globs);
    }

    @Override
    public int hashCode() {
        return globs.hashCode();
    }
}
