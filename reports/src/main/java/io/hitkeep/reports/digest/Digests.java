package io.hitkeep.reports.digest;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.auth.SessionTokens;
import io.hitkeep.core.Scope;
import io.hitkeep.core.StoreClient;
import io.hitkeep.query.Annotations;
import io.hitkeep.query.Stats;
import io.hitkeep.query.StatsRequest;
import io.hitkeep.reports.mail.Letters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Composes a digest: its numbers from the stats operation and the period's annotations (both asked as the
 * subscriber, so someone who lost access to the site gets a refusal rather than its numbers), its mail, and its
 * unsubscribe link, a token
 * signed with the session key that names the user, the site and the period and works without signing in
 * ({@code List-Unsubscribe} with {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click}, RFC 8058). Thread-safe.
 */
public final class Digests {
    static final String UNSUBSCRIBE_PURPOSE = "unsubscribe";
    /** The address of one-click unsubscribing (POST) and of the page that asks first (GET). */
    public static final String UNSUBSCRIBE_PATH = "/api/reports/unsubscribe";

    private final StoreClient store;
    private final SessionTokens tokens;

    public Digests(StoreClient store, SessionTokens tokens) {
        this.store = store;
        this.tokens = tokens;
    }

    /** Whose digest of which site: a subscriber, or the caller of "send now". */
    public record Reader(long userId, String email, int siteId, String siteName, String timezone) {
    }

    /**
     * The digest of {@code range} for the reader, ready to queue.
     *
     * @param base      the server's public address, for the links
     * @param scheduled whether the period is to be marked mailed with it (the job), or sent as it is (send now)
     */
    public Subscriptions.Queue compose(Reader reader, Period.Range range, String base, boolean scheduled) {
        Scope scope = Scope.user(reader.userId());
        JsonNode current = store.call(Stats.QUERY, new Stats.Query(scope, new StatsRequest(reader.siteId(), range.from().toString(),
                range.to().toString(), List.of(), DigestMail.TOP, List.of("summary", "lists"))));
        Period.Range before = range.previous();
        JsonNode previous = store.call(Stats.QUERY, new Stats.Query(scope, new StatsRequest(reader.siteId(), before.from().toString(),
                before.to().toString(), List.of(), DigestMail.TOP, List.of("summary"))));
        List<Annotations.Annotation> annotations = store.call(Annotations.LIST, new Annotations.AnnotationQuery(scope, reader.siteId(),
                range.from().toString(), range.to().toString())).annotations();
        String token = unsubscribeToken(reader.userId(), reader.siteId(), range.period());
        String unsubscribe = base + UNSUBSCRIBE_PATH + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        String dashboard = base + "/sites/" + reader.siteId() + "?range=custom&from=" + range.from() + "&to=" + range.to();
        Letters.Rendered mail = DigestMail.render(reader.siteName(), reader.timezone(), range, current, previous, annotations,
                dashboard, unsubscribe);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("List-Unsubscribe", "<" + unsubscribe + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        headers.put("List-Id", "HitKeep " + range.period().adjective() + " digest <" + range.period().adjective() + ".site-"
                + reader.siteId() + ".hitkeep>");
        return new Subscriptions.Queue(reader.userId(), reader.siteId(), range.period().label(), range.from().toString(), scheduled,
                reader.email(), mail.subject(), mail.text(), mail.html(), headers);
    }

    String unsubscribeToken(long userId, int siteId, Period period) {
        return tokens.issueMailLink(UNSUBSCRIBE_PURPOSE, userId, siteId + ":" + period.label());
    }

    /** What an unsubscribe token names, if it is one of ours and still valid. */
    Optional<Subscriptions.Unsubscribe> unsubscribeLink(String token) {
        return tokens.mailLink(token, UNSUBSCRIBE_PURPOSE).flatMap(link -> {
            String[] parts = link.payload().split(":");
            try {
                return parts.length == 2
                        ? Optional.of(new Subscriptions.Unsubscribe(link.userId(), Integer.parseInt(parts[0]), Period.parse(parts[1]).label()))
                        : Optional.empty();
            } catch (RuntimeException malformed) {
                return Optional.empty();
            }
        });
    }
}
