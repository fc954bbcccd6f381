package io.hitkeep.gateway;

import io.hitkeep.bench.OneThreadBenchmark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The whole ingest pipeline (drops, site, page, referrer source, UTM, user agent, language, country,
 * visitor id) on a mix of real requests, one thread, so the figure is hits per second per core. The
 * user-agent cache is warm, as it is in production where a few hundred strings carry most traffic;
 * {@link #uncachedUserAgent} is the price of a string never seen before. In the package of the gateway
 * because the pipeline is package-private. Run: see BENCHMARKS.md.
 */
public class IngestPipelineBenchmark extends OneThreadBenchmark {
    static final String[] USER_AGENTS = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (X11; Linux x86_64; rv:129.0) Gecko/20100101 Firefox/129.0",
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 Edg/127.0.2651.98",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    };
    static final String[] REFERRERS = {"", "https://www.google.com/", "https://news.ycombinator.com/item?id=1",
            "https://example.com/blog", "https://chatgpt.com/", "https://some-blog.example.net/post/42"};
    static final String[] ADDRESSES = {"8.8.8.8", "81.169.145.1", "2a00:1450:4001:80b::200e", "1.0.1.5", "193.0.6.139",
            "2001:4860:4860::8888", "203.0.113.9"};
    static final String[] URLS = {"https://example.com/", "https://www.example.com/pricing?utm_source=newsletter&utm_medium=email",
            "https://example.com/docs/install", "https://example.com/blog/post-1/"};

    IngestPipeline pipeline;
    IngestRequest[] requests;
    int next;
    long unique;

    @org.openjdk.jmh.annotations.Setup
    public void setUp() {
        pipeline = new IngestPipeline(domain -> domain.equals("example.com")
                ? Optional.of(new SiteRegistry.Site(1, 7, "example.com")) : Optional.empty(),
                () -> new Salts.DailySalt(java.time.LocalDate.of(2025, 1, 1), "salt"), true);
        requests = new IngestRequest[1024];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = new IngestRequest(URI.create(URLS[i % URLS.length]), REFERRERS[i % REFERRERS.length], "",
                    "en-US", 1280, Map.of(), "", "", 1_735_689_600_000_000L, USER_AGENTS[i % USER_AGENTS.length],
                    ADDRESSES[i % ADDRESSES.length], false);
        }
    }

    @Benchmark
    public IngestPipeline.Outcome pipeline() {
        return pipeline.process(requests[next++ & (requests.length - 1)]);
    }

    /** Bot check and classification of a user agent the cache has not seen (a new Chrome build number each time). */
    @Benchmark
    public UserAgents.Parsed uncachedUserAgent() {
        String userAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0."
                + (unique++) + ".0 Safari/537.36";
        return new UserAgents.Parsed(UserAgents.botCategory(userAgent), UserAgents.classify(userAgent));
    }

    /**
     * Real user agents for {@link #uncachedBotCheck}: mostly browsers, which pass every pattern and so cost
     * the most, and a few bots of kinds the detector names (search, AI, preview, monitor, library).
     */
    static final String[] NEVER_SEEN_TEMPLATES = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.%d.0 Safari/537.36",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E%d Safari/604.1",
            "Mozilla/5.0 (X11; Linux x86_64; rv:129.0) Gecko/20100101 Firefox/129.%d",
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.%d.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 Edg/127.0.%d.98",
            "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.%d.0 Mobile Safari/537.36",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) %d",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.%d; +https://openai.com/gptbot)",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots) %d",
            "Mozilla/5.0+(compatible; UptimeRobot/2.%d; http://www.uptimerobot.com/)",
    };

    /**
     * The same patterns as the detector's, as one alternation regex: the alternative to the literal pass
     * ({@link LiteralMatcher}), kept to show why it is not used. A state of its own, so the other
     * benchmarks do not compile it.
     */
    @State(Scope.Benchmark)
    public static class OneRegex {
        Pattern pattern;

        @Setup
        public void compile() {
            StringBuilder alternation = new StringBuilder();
            for (Bots.Rule rule : Bots.bundledRules(entry -> true)) {
                boolean ignoreCase = rule.regex().map(regex -> (regex.flags() & Pattern.CASE_INSENSITIVE) != 0).orElse(true);
                alternation.append(alternation.isEmpty() ? "" : "|").append(ignoreCase ? "(?i:" : "(?:")
                        .append(rule.pattern()).append(')');
            }
            pattern = Pattern.compile(alternation.toString());
        }
    }

    @Benchmark
    public boolean uncachedBotCheckOneRegex(OneRegex oneRegex) {
        String template = NEVER_SEEN_TEMPLATES[(int) (unique % NEVER_SEEN_TEMPLATES.length)];
        return oneRegex.pattern.matcher(template.formatted(unique++)).find();
    }

    /** The bot check alone on a user agent the cache has not seen: the part of the cost this detector adds. */
    @Benchmark
    public boolean uncachedBotCheck() {
        String template = NEVER_SEEN_TEMPLATES[(int) (unique % NEVER_SEEN_TEMPLATES.length)];
        return UserAgents.isBot(template.formatted(unique++));
    }
}
