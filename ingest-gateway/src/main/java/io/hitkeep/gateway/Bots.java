package io.hitkeep.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.Json;
import io.hitkeep.core.Metrics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bot detection by user agent, from three lists of patterns: our own by category
 * ({@code bot-patterns.txt}), the crawler-user-agents list (MIT) with its tags, and isbot's pattern list
 * (Unlicense); both lists are fetched by the build (src/build/fetch-data.sh). Every pattern is a regex
 * matched case-insensitively, but a regex is only run when its required literal occurs: one
 * Aho-Corasick pass ({@link LiteralMatcher}) finds those, and patterns that are plain words need no
 * regex at all. Patterns without a usable literal (a few of isbot's, such as "a string of 50 characters
 * without a space") are run always. Immutable, thread-safe.
 */
final class Bots {
    /**
     * What kind of bot a user agent is, most specific first: when several patterns match, the first
     * category in this order names the drop. Each has its counter
     * {@code hitkeep_ingest_dropped_total{reason="bot",category="..."}}, so the series of reason "bot"
     * still add up to the bot drops.
     */
    enum Category {
        AI("ai"),
        SEARCH("search"),
        PREVIEW("preview"),
        SEO("seo"),
        MONITOR("monitor"),
        SCANNER("scanner"),
        FEED("feed"),
        LIBRARY("library"),
        AUTOMATION("automation"),
        /** Names itself a bot, crawler or spider, or gives a contact URL or address; also archivers and ad crawlers. */
        CRAWLER("crawler"),
        /** Matched by isbot's general patterns alone. */
        OTHER("other"),
        /** No user agent at all: no browser sends none. */
        EMPTY("empty");

        private final String label;
        private final LongAdder dropped;

        Category(String label) {
            this.label = label;
            this.dropped = Metrics.counter("hitkeep_ingest_dropped_total",
                    "reason=\"bot\",category=\"" + label + "\"", "Hits dropped by the ingest pipeline, by reason");
        }

        String label() {
            return label;
        }

        void countDrop() {
            dropped.increment();
        }

        static Category ofLabel(String label) {
            for (Category category : values()) {
                if (category.label.equals(label)) {
                    return category;
                }
            }
            throw new IllegalArgumentException("no bot category " + label);
        }
    }

    /**
     * One pattern: its category, where it comes from, the literal any match must contain (lower case;
     * empty when it has none we can use), and the regex to confirm with (none when the pattern is that
     * literal).
     */
    record Rule(Category category, String source, String pattern, String literal, Optional<Regex> regex) {
        /** A pattern matched ignoring case (ours and isbot's). */
        static Rule of(Category category, String source, String pattern) {
            String literal = requiredLiteral(pattern).orElse("");
            boolean plain = !literal.isEmpty() && isPlainLiteral(pattern, literal);
            Optional<Regex> regex = plain ? Optional.empty() : Optional.of(new Regex(pattern, Pattern.CASE_INSENSITIVE));
            return new Rule(category, source, pattern, literal, regex);
        }

        /**
         * A pattern matched as written: the crawler list's are case-sensitive, and some need it ("NING/",
         * a crawler, is also the end of "Lightning/", Thunderbird's calendar in SeaMonkey's string). Its
         * literal still finds candidates ignoring case; the regex confirms.
         */
        static Rule caseSensitive(Category category, String source, String pattern) {
            return new Rule(category, source, pattern, requiredLiteral(pattern).orElse(""),
                    Optional.of(new Regex(pattern, 0)));
        }

        boolean matches(String userAgent) {
            return regex.map(lazy -> confirm(lazy.pattern(), userAgent))
                    .orElseGet(() -> userAgent.toLowerCase(Locale.ROOT).contains(literal));
        }

        /**
         * A pattern that starts with ^ is tried at the start only, not at every position as find() would;
         * one that must end in a given character ({@code ;\s\w+;$}) is not tried on a string that does not.
         */
        private boolean confirm(Pattern compiled, String userAgent) {
            char last = requiredLastCharacter(pattern);
            if (last != 0 && (userAgent.isEmpty()
                    || Character.toLowerCase(userAgent.charAt(userAgent.length() - 1)) != Character.toLowerCase(last))) {
                return false;
            }
            Matcher matcher = compiled.matcher(userAgent);
            return pattern.startsWith("^") ? matcher.lookingAt() : matcher.find();
        }
    }

    /**
     * A rule's regex, compiled when a user agent first needs it. Most of the 2,100 rules never match a visitor
     * (they name one crawler each), and their compiled forms would hold 1.5 MB of heap for good; the pattern is
     * compiled once here as well, so that a bad one still fails at start-up. Thread-safe: a race compiles twice.
     */
    static final class Regex {
        private final String source;
        private final int flags;
        private volatile Pattern compiled;

        Regex(String source, int flags) {
            Pattern.compile(source, flags);
            this.source = source;
            this.flags = flags;
        }

        /** {@link Pattern}'s flags for it. */
        int flags() {
            return flags;
        }

        Pattern pattern() {
            Pattern pattern = compiled;
            if (pattern == null) {
                pattern = Pattern.compile(source, flags);
                compiled = pattern;
            }
            return pattern;
        }
    }

    private final List<Rule> rules;
    /**
     * Browsers whose strings isbot's general patterns take for bots ({@code browser} lines of
     * bot-patterns.txt): they cancel a match of category {@link Category#OTHER} only, never a named bot.
     */
    private static final List<Pattern> BROWSERS = ownLines().stream().filter(line -> line[0].equals("browser"))
            .map(line -> Pattern.compile(line[1], Pattern.CASE_INSENSITIVE)).toList();
    /** Rules by the index of their literal in {@link #literals}. */
    private final Rule[] literalRules;
    private final LiteralMatcher literals;
    /** Rules without a literal, in category order. */
    private final Rule[] alwaysRun;

    Bots(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        List<Rule> withLiteral = new ArrayList<>();
        List<Rule> without = new ArrayList<>();
        for (Rule rule : this.rules) {
            (rule.literal().isEmpty() || !isAscii(rule.literal()) ? without : withLiteral).add(rule);
        }
        without.sort((a, b) -> a.category().compareTo(b.category()));
        this.literalRules = withLiteral.toArray(Rule[]::new);
        this.literals = new LiteralMatcher(withLiteral.stream().map(Rule::literal).toList());
        this.alwaysRun = without.toArray(Rule[]::new);
    }

    private static final Bots BUNDLED = new Bots(bundledRules(entry -> true));

    /** The detector with every bundled list. */
    static Bots bundled() {
        return BUNDLED;
    }

    /** Our own rules, isbot's, and the crawler list's entries that {@code crawlerEntries} accepts. */
    static List<Rule> bundledRules(Predicate<JsonNode> crawlerEntries) {
        List<Rule> rules = new ArrayList<>(ownRules());
        rules.addAll(crawlerListRules(crawlerEntries));
        rules.addAll(isbotRules());
        return rules;
    }

    /** The category of bot the user agent is, or empty for a browser (or a program we do not know). */
    Optional<Category> category(String userAgent) {
        if (userAgent.isBlank()) {
            return Optional.of(Category.EMPTY);
        }
        // the best (lowest) category found so far; a rule of a category no better is not even confirmed
        Category[] best = {null};
        boolean[] tried = new boolean[literalRules.length];
        literals.scan(userAgent, index -> {
            Rule rule = literalRules[index];
            if (tried[index] || (best[0] != null && rule.category().compareTo(best[0]) >= 0)) {
                return true;
            }
            tried[index] = true;
            if (rule.regex().isEmpty() || rule.confirm(rule.regex().get().pattern(), userAgent)) {
                best[0] = rule.category();
            }
            return best[0] != Category.AI;
        });
        for (Rule rule : alwaysRun) {
            if (best[0] != null && rule.category().compareTo(best[0]) >= 0) {
                break;
            }
            if (rule.matches(userAgent)) {
                best[0] = rule.category();
            }
        }
        if (best[0] == Category.OTHER && BROWSERS.stream().anyMatch(browser -> browser.matcher(userAgent).find())) {
            return Optional.empty();
        }
        return Optional.ofNullable(best[0]);
    }

    /** The rules that match the user agent, for tests and for finding out why a string was dropped. */
    List<Rule> matching(String userAgent) {
        return rules.stream().filter(rule -> rule.matches(userAgent)).toList();
    }

    int size() {
        return rules.size();
    }

    /** How many rules run a regex on every user agent, having no literal to look for first. */
    int alwaysRunCount() {
        return alwaysRun.length;
    }

    LiteralMatcher literalMatcher() {
        return literals;
    }

    // ---- the lists -------------------------------------------------------------------------------------

    static List<Rule> ownRules() {
        return ownLines().stream().filter(line -> !line[0].equals("browser"))
                .flatMap(line -> alternatives(line[1]).stream().map(pattern -> Rule.of(Category.ofLabel(line[0]), "own", pattern)))
                .toList();
    }

    /** bot-patterns.txt as {category, pattern} pairs. */
    private static List<String[]> ownLines() {
        try (InputStream in = Bots.class.getResourceAsStream("bot-patterns.txt")) {
            List<String[]> lines = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int space = trimmed.indexOf(' ');
                lines.add(new String[]{trimmed.substring(0, space), trimmed.substring(space + 1).strip()});
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Rule> isbotRules() {
        JsonNode patterns = bundledJson("isbot-patterns.json");
        List<Rule> rules = new ArrayList<>();
        for (JsonNode pattern : patterns) {
            for (String alternative : alternatives(javaRegex(pattern.asText()))) {
                rules.add(Rule.of(Category.OTHER, "isbot", alternative));
            }
        }
        return rules;
    }

    /** The crawler list's tags (crawler-user-agents' README) as categories; untagged entries are crawlers. */
    static Category categoryOfTags(JsonNode tags) {
        Category best = Category.CRAWLER;
        for (JsonNode tag : tags) {
            Category category = switch (tag.asText()) {
                case "search-engine" -> Category.SEARCH;
                case "ai-crawler" -> Category.AI;
                case "social-preview" -> Category.PREVIEW;
                case "seo" -> Category.SEO;
                case "monitoring" -> Category.MONITOR;
                case "scanner" -> Category.SCANNER;
                case "feed-reader" -> Category.FEED;
                case "http-library" -> Category.LIBRARY;
                case "browser-automation" -> Category.AUTOMATION;
                default -> Category.CRAWLER; // advertising, archiver, academic
            };
            if (category.compareTo(best) < 0) {
                best = category;
            }
        }
        return best;
    }

    static List<Rule> crawlerListRules(Predicate<JsonNode> accept) {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode entry : crawlerList()) {
            String pattern = entry.path("pattern").asText("");
            if (pattern.isEmpty() || !accept.test(entry)) {
                continue;
            }
            for (String alternative : alternatives(pattern)) {
                // a name that starts with a digit must start a number: the 008 crawler's "008/" is also the
                // end of Opera Mini's build number ("Opera Mini/4.4.39008/37.9178")
                if (!alternative.isEmpty() && Character.isDigit(alternative.charAt(0))) {
                    alternative = "(?<![0-9])" + alternative;
                }
                rules.add(Rule.caseSensitive(categoryOfTags(entry.path("tags")), "crawler-user-agents", alternative));
            }
        }
        return rules;
    }

    static JsonNode crawlerList() {
        return bundledJson("crawler-user-agents.json");
    }

    private static JsonNode bundledJson(String name) {
        try (InputStream in = Bots.class.getResourceAsStream("data/" + name)) {
            if (in == null) {
                throw new IllegalStateException("data/" + name + " is not on the classpath: the build fetches it"
                        + " (ingest-gateway/src/build/fetch-data.sh)");
            }
            return Json.treeReadOnce(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * isbot's patterns are JavaScript regexes; Java reads all but one form: a hyphen between a class
     * escape and a character in a set ({@code [\w\d-.]}), which JavaScript takes as a literal hyphen.
     */
    static String javaRegex(String javaScript) {
        return javaScript.replace("\\d-.]", "\\d.\\-]");
    }

    /**
     * A regex's top-level alternatives ("Automaton|Newsify Feed Fetcher" is two): a user agent matches the
     * regex when it matches one of them, and each alternative has a literal of its own where the whole has none.
     */
    static List<String> alternatives(String regex) {
        List<String> alternatives = new ArrayList<>();
        int depth = 0;
        boolean inClass = false;
        int start = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                alternatives.add(regex.substring(start, i));
                start = i + 1;
            }
        }
        alternatives.add(regex.substring(start));
        return alternatives;
    }

    /**
     * The character a match must end the string with, for a regex that ends in a plain character and
     * {@code $}; 0 otherwise. (Java's $ also matches before a final line break, which a header cannot hold.)
     */
    static char requiredLastCharacter(String regex) {
        int dollar = regex.length() - 1;
        if (dollar < 2 || regex.charAt(dollar) != '$' || regex.charAt(dollar - 1) == '\\' && regex.charAt(dollar - 2) != '\\') {
            return 0;
        }
        char last = regex.charAt(dollar - 1);
        boolean escaped = regex.charAt(dollar - 2) == '\\' && (dollar < 3 || regex.charAt(dollar - 3) != '\\');
        if (escaped) {
            return Character.isLetterOrDigit(last) ? 0 : last;
        }
        return Character.isLetterOrDigit(last) || ";,/ _-:".indexOf(last) >= 0 ? last : 0;
    }

    // ---- the literal a regex needs -----------------------------------------------------------------------

    /**
     * The longest run of plain characters that every match of the regex contains, lower case; empty when
     * there is none we can be sure of (an alternation at the top level, say). Groups, classes,
     * look-arounds and escapes such as {@code \d} end a run; a character made optional by {@code ?},
     * {@code *} or <code>{0,</code> is left out of it.
     */
    static Optional<String> requiredLiteral(String regex) {
        List<String> runs = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            if (c == '|') {
                return Optional.empty();
            }
            if (c == '(' || c == '[') {
                end(run, runs);
                i = skipQuantifier(regex, skipGroup(regex, i));
                continue;
            }
            if (c == '.' || c == '^' || c == '$') {
                end(run, runs);
                i = skipQuantifier(regex, i + 1);
                continue;
            }
            char literal;
            int after;
            if (c == '\\') {
                if (i + 1 >= regex.length()) {
                    return Optional.empty();
                }
                char escaped = regex.charAt(i + 1);
                if (Character.isLetterOrDigit(escaped)) {
                    // \d, \w, \s, \b, \p{..}, back-references: not a plain character
                    if (escaped == 'Q' || escaped == 'p' || escaped == 'P') {
                        return Optional.empty();
                    }
                    end(run, runs);
                    i = skipQuantifier(regex, i + 2);
                    continue;
                }
                literal = escaped;
                after = i + 2;
            } else {
                literal = c;
                after = i + 1;
            }
            char quantifier = after < regex.length() ? regex.charAt(after) : 0;
            boolean optional = quantifier == '?' || quantifier == '*'
                    || (quantifier == '{' && regex.startsWith("{0", after));
            if (optional) {
                end(run, runs);
                i = skipQuantifier(regex, after);
            } else if (quantifier == '+' || quantifier == '{') {
                run.append(literal);
                end(run, runs);
                i = skipQuantifier(regex, after);
            } else {
                run.append(literal);
                i = after;
            }
        }
        end(run, runs);
        return runs.stream().max((a, b) -> Integer.compare(a.length(), b.length()))
                .map(longest -> longest.toLowerCase(Locale.ROOT));
    }

    private static void end(StringBuilder run, List<String> runs) {
        if (!run.isEmpty()) {
            runs.add(run.toString());
            run.setLength(0);
        }
    }

    /** The index after the group or class that starts at {@code start}, escapes and nested classes respected. */
    private static int skipGroup(String regex, int start) {
        int depth = 0;
        boolean inClass = false;
        for (int i = start; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                if (c == ']') {
                    inClass = false;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
        }
        return regex.length();
    }

    /** The index after a quantifier at {@code index} (and its lazy or possessive mark), if there is one. */
    private static int skipQuantifier(String regex, int index) {
        int i = index;
        if (i < regex.length() && "?*+".indexOf(regex.charAt(i)) >= 0) {
            i++;
        } else if (i < regex.length() && regex.charAt(i) == '{') {
            int close = regex.indexOf('}', i);
            i = close < 0 ? regex.length() : close + 1;
        } else {
            return i;
        }
        if (i < regex.length() && (regex.charAt(i) == '?' || regex.charAt(i) == '+')) {
            i++;
        }
        return i;
    }

    /** Whether the regex is nothing but its literal, escapes aside: then finding the literal is a match. */
    private static boolean isPlainLiteral(String regex, String literal) {
        return regex.replaceAll("\\\\([^A-Za-z0-9])", "$1").toLowerCase(Locale.ROOT).equals(literal)
                && !regex.replaceAll("\\\\[^A-Za-z0-9]", "").matches(".*[\\[\\](){}.*+?^$|].*");
    }

    private static boolean isAscii(String text) {
        return text.chars().allMatch(c -> c < 128);
    }
}
