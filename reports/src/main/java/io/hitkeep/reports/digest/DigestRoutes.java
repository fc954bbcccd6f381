package io.hitkeep.reports.digest;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.auth.Caller;
import io.hitkeep.auth.PublicUrl;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Json;
import io.hitkeep.core.StoreClient;
import io.hitkeep.web.HttpJson;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Digests over HTTP, mounted at {@code /api/sites}: {@code GET} and {@code PUT /{id}/reports} (the caller's
 * own subscription: {@code {"weekly", "monthly"}}), {@code POST /{id}/reports/send-now {"period"}} (the last
 * whole week or month at once, once per site every few minutes). Any member of the site's team may
 * subscribe; the digest goes to their own address. Thread-safe.
 */
final class DigestRoutes implements HttpService {
    private static final int BODY_LIMIT = 4 * 1024;

    private final StoreClient store;
    private final Digests digests;
    private final PublicUrl publicUrl;
    private final boolean mailConfigured;
    private final Clock clock;

    DigestRoutes(StoreClient store, Digests digests, PublicUrl publicUrl, boolean mailConfigured, Clock clock) {
        this.store = store;
        this.digests = digests;
        this.publicUrl = publicUrl;
        this.mailConfigured = mailConfigured;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{id}/reports", this::subscription)
                .put("/{id}/reports", this::subscribe)
                .post("/{id}/reports/send-now", this::sendNow);
    }

    private void subscription(ServerRequest request, ServerResponse response) {
        HttpJson.send(response, 200, answer(store.call(Subscriptions.GET, new Subscriptions.SiteRef(Caller.of(request).scope(), siteId(request)))));
    }

    /** {@code {"weekly": bool, "monthly": bool}}; a field left out keeps its value. */
    private void subscribe(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.of(request);
        int siteId = siteId(request);
        JsonNode body = HttpJson.object(request, BODY_LIMIT);
        Subscriptions.Subscription current = store.call(Subscriptions.GET, new Subscriptions.SiteRef(caller.scope(), siteId));
        boolean weekly = flag(body, "weekly", current.weekly());
        boolean monthly = flag(body, "monthly", current.monthly());
        HttpJson.send(response, 200, answer(store.call(Subscriptions.SET, new Subscriptions.Change(caller.scope(), siteId, weekly, monthly))));
    }

    /** {@code {"period": "week"|"month"}}: the last whole period, queued now; 202 once it is in the outbox. */
    private void sendNow(ServerRequest request, ServerResponse response) {
        Caller caller = Caller.of(request);
        int siteId = siteId(request);
        Period period = Period.parse(Json.text(HttpJson.object(request, BODY_LIMIT), "period"));
        if (!mailConfigured) {
            // who may read the site first, so a stranger learns nothing from the answer
            store.call(Subscriptions.GET, new Subscriptions.SiteRef(caller.scope(), siteId));
            throw DomainError.conflict("this server sends no mail: set HITKEEP_SMTP_HOST to send digests");
        }
        // who may read the site, and the rate limit, are the store's to decide
        Subscriptions.Recipient recipient = store.call(Subscriptions.SEND_NOW, new Subscriptions.SiteRef(caller.scope(), siteId));
        Period.Range range = period.lastDue(LocalDateTime.ofInstant(clock.instant(), ZoneId.of(recipient.timezone())));
        Digests.Reader reader = new Digests.Reader(recipient.userId(), recipient.email(), recipient.siteId(), recipient.siteName(),
                recipient.timezone());
        long mailId = store.call(Subscriptions.QUEUE, digests.compose(reader, range, publicUrl.base(request), false)).mailId();
        HttpJson.send(response, 202, Json.object().put("queued", mailId > 0).put("period", period.label())
                .put("from", range.from().toString()).put("to", range.to().toString()).put("email", recipient.email()));
    }

    private JsonNode answer(Subscriptions.Subscription subscription) {
        return Json.object().put("site_id", subscription.siteId()).put("weekly", subscription.weekly())
                .put("monthly", subscription.monthly()).put("mail_configured", mailConfigured);
    }

    private static boolean flag(JsonNode body, String field, boolean current) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return current;
        }
        if (!value.isBoolean()) {
            throw DomainError.invalid(field + " must be true or false");
        }
        return value.asBoolean();
    }

    private static int siteId(ServerRequest request) {
        return HttpJson.pathId(request, "id", "no such site");
    }
}
