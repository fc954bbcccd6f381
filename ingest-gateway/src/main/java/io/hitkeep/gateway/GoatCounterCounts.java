package io.hitkeep.gateway;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Domains;
import io.hitkeep.web.HttpJson;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * GoatCounter's count endpoint, {@code /count}, as its {@code count.js} (an image request or a beacon, so
 * {@code GET} and {@code POST}) and its tracking pixel ({@code <img src=".../count?p=/page">}) send it, with
 * the documented query parameters: {@code p} the path (or the event's name when {@code e} is true),
 * {@code r} the referrer, {@code s} the screen size ({@code width,height,scale}), {@code q} the page's
 * query (its UTM and {@code ref} parameters count), {@code b} count.js's own bot flag (150 and above:
 * an automated browser, dropped as a bot); {@code t} (title) and {@code rnd} (cache buster) are ignored.
 * GoatCounter finds the site by the host the snippet sends to ({@code CODE.goatcounter.com}); here that is
 * a site's GoatCounter code ({@code goatcounter_code}, a site setting) as the first label of the request's
 * {@code Host} ({@code CODE.stats.example.com}, by wildcard DNS). The code's site takes the hit when the page
 * is on its domain or below it, or when nothing names the page (then the page is the site's domain and
 * {@code p}); otherwise, and without a code, the page's host names the site, as on {@code /ingest}: the page
 * from the {@code Origin} header or else the {@code Referer} (a {@code p} that is a whole URL names its page
 * itself). This is the Umami website id's rule: a code copied from someone's page source cannot pull a
 * stranger's pages into their site. Answers a 1x1 GIF whether the hit was kept or dropped; a malformed
 * request is a 400 whose reason is also in {@code X-Goatcounter}, GoatCounter's own way of saying it.
 * Thread-safe.
 */
final class GoatCounterCounts implements HttpFeature {
    /** The common 43-byte transparent 1x1 GIF. */
    static final byte[] GIF = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");
    static final HeaderName X_GOATCOUNTER = HeaderNames.create("X-Goatcounter");
    /** count.js flags automated browsers with 150 and above; lower numbers are GoatCounter's own, never sent. */
    private static final int FIRST_SCRIPT_BOT_FLAG = 150;
    /** A site code as GoatCounter accepts one: lower-case letters, digits and dashes, 2 to 50 (a host label here). */
    private static final Pattern CODE = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])");
    private static final Pattern IPV4 = Pattern.compile("[0-9.]+");

    /** What one request asks for: a hit, none (a flagged bot, a page whose site cannot be told). */
    record Parsed(Optional<IngestRequest> hit, Optional<DropReason> dropped) {
    }

    private final CompatibleIngest ingest;

    GoatCounterCounts(CompatibleIngest ingest) {
        this.ingest = ingest;
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        routing.get("/count", this::count).post("/count", this::count);
    }

    private void count(ServerRequest request, ServerResponse response) {
        CompatibleIngest.cors(response);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        Parsed parsed;
        try {
            var query = request.query();
            Optional<SiteRegistry.Site> codeSite = code(request.authority()).flatMap(ingest.registry()::goatCounterCode);
            parsed = parse(name -> query.first(name).orElse(""), codeSite, request.headers().first(HeaderNames.ORIGIN),
                    request.headers().first(HeaderNames.REFERER), ingest.visitor(request));
        } catch (DomainError invalid) {
            // answered here: the error handler starts a fresh response, without this header
            response.header(X_GOATCOUNTER, invalid.getMessage());
            HttpJson.error(response, HttpJson.status(invalid.kind()), invalid.getMessage());
            return;
        }
        parsed.dropped().ifPresent(reason -> {
            if (reason == DropReason.UNKNOWN_SITE) {
                // a setup problem (a page that sends no Referer), not a filter: say so to whoever debugs it
                response.header(X_GOATCOUNTER, "ignored: neither Origin nor Referer names the page, nor the host a site's code");
            }
        });
        parsed.hit().ifPresent(ingest::store);
        response.header(HeaderNames.CONTENT_TYPE, "image/gif");
        response.send(GIF);
    }

    /**
     * Reads a count request; anything malformed is a 400.
     *
     * @param parameter a query parameter's value, empty when absent
     * @param codeSite  the site whose GoatCounter code the request's host names, if any
     * @param origin    the request's {@code Origin} header
     * @param referer   the request's {@code Referer} header: the page, or its origin under the default referrer policy
     */
    static Parsed parse(Function<String, String> parameter, Optional<SiteRegistry.Site> codeSite, Optional<String> origin,
                        Optional<String> referer, BrowserVisitor visitor) {
        int botFlag = botFlag(parameter.apply("b"));
        boolean event = flag(parameter.apply("e"));
        String path = parameter.apply("p").strip();
        if (path.isEmpty()) {
            throw DomainError.invalid("p (the path, or the event's name) is required");
        }
        if (botFlag >= FIRST_SCRIPT_BOT_FLAG) {
            Bots.Category.AUTOMATION.countDrop();
            return new Parsed(Optional.empty(), Optional.of(DropReason.BOT));
        }
        // nothing names the page: the code's site does, at its domain's root
        Optional<URI> page = page(origin, referer).or(() -> codeSite.map(site -> URI.create("https://" + site.domain() + "/")));
        String url;
        if (!event && isAbsolute(path)) {
            url = path;
        } else if (page.isEmpty()) {
            DropReason.UNKNOWN_SITE.count();
            return new Parsed(Optional.empty(), Optional.of(DropReason.UNKNOWN_SITE));
        } else if (event) {
            // an event names no page: the one it happened on is the Referer's, as far as the browser tells it
            url = page.get().toString();
        } else {
            url = origin(page.get()) + (path.startsWith("/") ? path : "/" + path);
            String query = parameter.apply("q").strip();
            if (!url.contains("?") && !query.isEmpty() && !query.equals("?")) {
                url += query.startsWith("?") ? query : "?" + query;
            }
        }
        URI pageUrl = IngestRequest.url(url);
        String host = Domains.siteKey(pageUrl.getHost());
        String siteKey = codeSite.filter(site -> site.covers(host)).map(SiteRegistry.Site::domain).orElse(host);
        return new Parsed(Optional.of(IngestRequest.fromBrowser(visitor, siteKey,
                pageUrl, parameter.apply("r"), "", screenWidth(parameter.apply("s")),
                event ? IngestRequest.eventName(path) : "", "")), Optional.empty());
    }

    /**
     * The GoatCounter code a request's {@code Host} names: its first label, lower case, when a dot follows it
     * and it has a code's form; an IP address or a bare name ({@code localhost}) names none.
     */
    static Optional<String> code(String authority) {
        String host = authority.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            return Optional.empty();
        }
        int port = host.indexOf(':');
        host = port < 0 ? host : host.substring(0, port);
        int dot = host.indexOf('.');
        if (dot < 0 || IPV4.matcher(host).matches()) {
            return Optional.empty();
        }
        String label = host.substring(0, dot);
        return CODE.matcher(label).matches() ? Optional.of(label) : Optional.empty();
    }

    /** GoatCounter's booleans: {@code true}, {@code false}, {@code 1}, {@code 0}, {@code on}, {@code off}; absent is false. */
    static boolean flag(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "", "false", "0", "off" -> false;
            case "true", "1", "on" -> true;
            default -> throw DomainError.invalid("e must be true or false");
        };
    }

    private static int botFlag(String value) {
        if (value.isBlank()) {
            return 0;
        }
        int flag;
        try {
            flag = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw DomainError.invalid("b must be a number");
        }
        if (flag < 0 || flag > 0 && flag < FIRST_SCRIPT_BOT_FLAG) {
            throw DomainError.invalid("wrong value: b=" + flag);
        }
        return flag;
    }

    /**
     * The page: the {@code Referer}, when it is on the {@code Origin}'s host (or there is no {@code Origin});
     * else the {@code Origin}'s root. A sandboxed page's {@code Origin} is {@code null}, which names nothing.
     */
    private static Optional<URI> page(Optional<String> origin, Optional<String> referer) {
        Optional<URI> fromOrigin = origin.flatMap(GoatCounterCounts::absolute).map(uri -> uri.resolve("/"));
        Optional<URI> fromReferer = referer.flatMap(GoatCounterCounts::absolute);
        if (fromReferer.isPresent() && (fromOrigin.isEmpty() || fromOrigin.get().getHost().equals(fromReferer.get().getHost()))) {
            return fromReferer;
        }
        return fromOrigin;
    }

    private static Optional<URI> absolute(String header) {
        String text = header.strip();
        if (!isAbsolute(text)) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text);
            return uri.getHost() == null ? Optional.empty() : Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String origin(URI page) {
        return page.getScheme() + "://" + page.getRawAuthority();
    }

    private static boolean isAbsolute(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /** The width of {@code s} ({@code 1920,1080,2}); 0 when it says none. */
    static int screenWidth(String size) {
        int cut = size.indexOf(',');
        try {
            return (int) Double.parseDouble(cut < 0 ? size : size.substring(0, cut));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
