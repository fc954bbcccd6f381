package io.hitkeep.gateway;

import io.hitkeep.core.CharRuns;
import io.hitkeep.core.CompactIds;
import io.hitkeep.core.Domains;
import io.hitkeep.core.Hashes;
import io.hitkeep.core.Hit;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The ingest pipeline: a named list of small steps, each of which fills in part of the hit or drops it
 * with a {@link DropReason}. Plain code, so tests call it directly. Thread-safe.
 */
final class IngestPipeline {
    /** One step: adds to the hit, or returns why the hit is dropped. */
    interface Step {
        Optional<DropReason> apply(IngestRequest request, Hit.Builder hit);
    }

    record NamedStep(String name, Step step) {
    }

    /** What the pipeline made of a request: a hit, or the reason it was dropped. */
    record Outcome(Optional<Hit> hit, Optional<DropReason> dropped) {
    }

    private final List<NamedStep> steps;
    private final Function<String, Optional<SiteRegistry.Site>> sites;

    /**
     * @param sites  site key to site (the registry)
     * @param salt   today's visitor-id salt
     * @param honourDoNotTrack false for server-side ingest, where DNT headers belong to the backend; when true,
     *                         each site's {@code honour_dnt} setting decides
     */
    IngestPipeline(Function<String, Optional<SiteRegistry.Site>> sites, Supplier<Salts.DailySalt> salt, boolean honourDoNotTrack) {
        this.sites = sites;
        this.steps = List.of(
                // before everything else, so a visitor who asked not to be tracked is not even parsed; the site
                // may say not to honour it (an unknown site is dropped either way)
                new NamedStep("drop do-not-track", (request, hit) -> honourDoNotTrack && request.doNotTrack()
                        && site(request).map(SiteRegistry.Site::honourDnt).orElse(true)
                        ? Optional.of(DropReason.DO_NOT_TRACK) : Optional.empty()),
                new NamedStep("drop bots", IngestPipeline::dropBots),
                new NamedStep("put site", this::putSite),
                new NamedStep("drop excluded ip", (request, hit) -> site(request)
                        .filter(site -> site.excludedIps().contains(request.clientIp())).isPresent()
                        ? Optional.of(DropReason.EXCLUDED_IP) : Optional.empty()),
                // one step for both, so that the referrer is parsed once
                new NamedStep("put referrer, drop referrer spam", IngestPipeline::putReferrer),
                new NamedStep("put page", IngestPipeline::putPage),
                new NamedStep("drop excluded path", (request, hit) -> site(request)
                        .filter(site -> site.excludedPaths().matches(hit.path)).isPresent()
                        ? Optional.of(DropReason.EXCLUDED_PATH) : Optional.empty()),
                new NamedStep("put utm", IngestPipeline::putUtm),
                new NamedStep("put user agent", IngestPipeline::putUserAgent),
                new NamedStep("put client hints", (request, hit) -> {
                    request.clientHints().refine(hit);
                    return Optional.empty();
                }),
                new NamedStep("put language", IngestPipeline::putLanguage),
                new NamedStep("put country", (request, hit) -> {
                    hit.country = Countries.bundled().country(request.clientIp());
                    return Optional.empty();
                }),
                new NamedStep("put visitor id", (request, hit) -> {
                    Salts.DailySalt today = salt.get();
                    hit.visitorId = CompactIds.visitor(today.date(), Hashes.sha256Long(today.salt(), Integer.toString(hit.siteId),
                            request.clientIp(), request.userAgent()));
                    return Optional.empty();
                }),
                new NamedStep("put event", (request, hit) -> {
                    hit.eventName = request.eventName();
                    hit.propsJson = request.propsJson();
                    hit.sessionKey = request.sessionId();
                    hit.timestampMicros = request.timestampMicros();
                    hit.viewportWidth = request.viewportWidth();
                    return Optional.empty();
                }));
    }

    List<String> stepNames() {
        return steps.stream().map(NamedStep::name).toList();
    }

    Outcome process(IngestRequest request) {
        Hit.Builder hit = Hit.builder();
        for (NamedStep step : steps) {
            Optional<DropReason> dropped = step.step().apply(request, hit);
            if (dropped.isPresent()) {
                dropped.get().count();
                return new Outcome(Optional.empty(), dropped);
            }
        }
        return new Outcome(Optional.of(hit.build()), Optional.empty());
    }

    /**
     * Drops a bot, counting it under its category ({@link Bots.Category}): the user agent's, else
     * automation when the client hints name headless Chrome.
     */
    static Optional<DropReason> dropBots(IngestRequest request, Hit.Builder hit) {
        Optional<Bots.Category> category = botCategory(request);
        category.ifPresent(Bots.Category::countDrop);
        return category.map(kind -> DropReason.BOT);
    }

    static Optional<Bots.Category> botCategory(IngestRequest request) {
        return UserAgents.parse(request.userAgent()).bot()
                .or(() -> request.clientHints().headless() ? Optional.of(Bots.Category.AUTOMATION) : Optional.empty());
    }

    /** The request's site; the registry's lookup is a map read, so steps ask again rather than carry it. */
    private Optional<SiteRegistry.Site> site(IngestRequest request) {
        return sites.apply(request.siteKey());
    }

    /** The site the request names (usually its URL's host); the hostname is the page's own host either way. */
    private Optional<DropReason> putSite(IngestRequest request, Hit.Builder hit) {
        Optional<SiteRegistry.Site> site = site(request);
        if (site.isEmpty()) {
            return Optional.of(DropReason.UNKNOWN_SITE);
        }
        hit.siteId = site.get().id();
        hit.hostname = Domains.siteKey(request.url().getHost());
        return Optional.empty();
    }

    /** The path without query or fragment, decoded, without a trailing slash (except the root). */
    static Optional<DropReason> putPage(IngestRequest request, Hit.Builder hit) {
        hit.path = normalisePath(request.url().getRawPath());
        return Optional.empty();
    }

    static String normalisePath(String rawPath) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        try {
            path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            // keep the raw path
        }
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return IngestRequest.cap(path, 1024);
    }

    /**
     * The referrer's host and its source: a known host is named by the referrer list ("Google", "Hacker
     * News"), any other is its own source. A referrer from the site itself is navigation, not a source.
     * The medium ({@link Referrers.Medium}) comes with the source: search, social, email, ai, paid, other. A
     * referrer on the spam list drops the hit.
     */
    static Optional<DropReason> putReferrer(IngestRequest request, Hit.Builder hit) {
        Optional<String> referrerHost = referrerHost(request);
        if (referrerHost.isEmpty()) {
            return Optional.empty();
        }
        String host = referrerHost.get();
        if (Referrers.isSpam(host)) {
            return Optional.of(DropReason.REFERRER_SPAM);
        }
        Referrers.Source source = Referrers.source(host);
        hit.referrerHost = host;
        hit.source = source.name();
        hit.medium = source.medium().label();
        return Optional.empty();
    }

    /** The referrer's host with {@code www.} removed, unless it is empty, unreadable or the site itself. */
    static Optional<String> referrerHost(IngestRequest request) {
        if (request.referrer().isEmpty()) {
            return Optional.empty();
        }
        try {
            String host = URI.create(request.referrer()).getHost();
            if (host != null) {
                String key = Domains.siteKey(host);
                if (!key.equals(Domains.siteKey(request.url().getHost()))) {
                    return Optional.of(key);
                }
            }
        } catch (IllegalArgumentException malformed) {
            // a referrer we cannot read is no referrer
        }
        return Optional.empty();
    }

    /** UTM parameters from the page URL's query; the tracker's fields win. {@code ref} is a fallback source. */
    static Optional<DropReason> putUtm(IngestRequest request, Hit.Builder hit) {
        String query = request.url().getRawQuery();
        String ref = "";
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    continue;
                }
                String name = pair.substring(0, equals).toLowerCase(Locale.ROOT);
                String value;
                try {
                    value = IngestRequest.cap(URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8).strip(), 256);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                switch (name) {
                    case "utm_source" -> hit.utmSource = value;
                    case "utm_medium" -> hit.utmMedium = value;
                    case "utm_campaign" -> hit.utmCampaign = value;
                    case "utm_term" -> hit.utmTerm = value;
                    case "utm_content" -> hit.utmContent = value;
                    case "ref", "source" -> ref = value;
                    default -> {
                    }
                }
            }
        }
        var utm = request.utm();
        hit.utmSource = utm.getOrDefault("utm_source", hit.utmSource);
        hit.utmMedium = utm.getOrDefault("utm_medium", hit.utmMedium);
        hit.utmCampaign = utm.getOrDefault("utm_campaign", hit.utmCampaign);
        hit.utmTerm = utm.getOrDefault("utm_term", hit.utmTerm);
        hit.utmContent = utm.getOrDefault("utm_content", hit.utmContent);
        if (!hit.utmSource.isEmpty()) {
            hit.source = hit.utmSource;
        } else if (hit.source.isEmpty() && !ref.isEmpty()) {
            hit.source = ref;
        }
        return Optional.empty();
    }

    static Optional<DropReason> putUserAgent(IngestRequest request, Hit.Builder hit) {
        UserAgents.Classified classified = UserAgents.parse(request.userAgent()).classified();
        hit.browser = classified.browser();
        hit.os = classified.os();
        hit.device = classified.device();
        hit.browserVersion = classified.browserVersion();
        hit.osVersion = classified.osVersion();
        return Optional.empty();
    }

    /** Two or three letters a-z, as {@code [a-z]{2,3}} would match. */
    private static boolean isLanguageSubtag(String text) {
        return CharRuns.isRun(text, 2, 3, 'a', 'z');
    }

    /** The primary language subtag, lower case: {@code de-AT} counts as {@code de}. */
    static Optional<DropReason> putLanguage(IngestRequest request, Hit.Builder hit) {
        String language = request.language();
        int cut = language.indexOf('-');
        language = (cut > 0 ? language.substring(0, cut) : language).toLowerCase(Locale.ROOT);
        hit.language = isLanguageSubtag(language) ? language : "";
        return Optional.empty();
    }
}
