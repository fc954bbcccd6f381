package io.hitkeep.reports.digest;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.hitkeep.core.Json;
import io.hitkeep.core.StoreClient;
import io.hitkeep.reports.mail.Html;
import io.hitkeep.reports.mail.MailLayout;
import io.hitkeep.web.HttpJson;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A digest's unsubscribe link, reached without signing in (the signed token is the proof), at
 * {@code /api/reports/unsubscribe?token=...}: {@code POST} unsubscribes at once (what a mail client's
 * one-click button sends, {@code List-Unsubscribe=One-Click}, and the page's button); {@code GET} shows a
 * page that asks first, since link checkers and previews open links without anyone meaning to
 * unsubscribe. Answers HTML to a browser ({@code Accept: text/html}), JSON to anyone else. Thread-safe.
 */
final class UnsubscribeRoutes implements HttpService {
    private final StoreClient store;
    private final Digests digests;

    UnsubscribeRoutes(StoreClient store, Digests digests) {
        this.store = store;
        this.digests = digests;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::ask).post("/", this::unsubscribe);
    }

    private void ask(ServerRequest request, ServerResponse response) {
        Optional<Subscriptions.Unsubscribe> link = link(request);
        if (link.isEmpty()) {
            invalid(request, response);
            return;
        }
        Period period = Period.parse(link.get().period());
        if (!wantsHtml(request)) {
            HttpJson.send(response, 200, Json.object().put("site_id", link.get().siteId()).put("period", period.label()));
            return;
        }
        String action = Digests.UNSUBSCRIBE_PATH + "?token=" + URLEncoder.encode(request.query().first("token").orElse(""), StandardCharsets.UTF_8);
        page(response, 200, "Unsubscribe", MailLayout.heading("Unsubscribe from the " + period.adjective() + " digest?")
                + MailLayout.paragraph("You will no longer get the " + period.adjective() + " digest of this site. "
                + "You can subscribe again in the site's settings.")
                + "<form method=\"post\" action=\"" + Html.escape(action) + "\" style=\"margin:24px 0;\">"
                + "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                + "<button type=\"submit\" class=\"hk-button\" style=\"padding:12px 20px;border:0;border-radius:8px;background:"
                + MailLayout.ACCENT + ";color:#ffffff;font-weight:600;font-size:15px;cursor:pointer;\">Unsubscribe</button></form>");
    }

    private void unsubscribe(ServerRequest request, ServerResponse response) {
        Optional<Subscriptions.Unsubscribe> link = link(request);
        if (link.isEmpty()) {
            invalid(request, response);
            return;
        }
        Subscriptions.Subscription left = store.call(Subscriptions.UNSUBSCRIBE, link.get());
        Period period = Period.parse(link.get().period());
        if (!wantsHtml(request)) {
            HttpJson.send(response, 200, Json.object().put("unsubscribed", true).put("period", period.label())
                    .put("site_id", left.siteId()).put("weekly", left.weekly()).put("monthly", left.monthly()));
            return;
        }
        page(response, 200, "Unsubscribed", MailLayout.heading("You are unsubscribed")
                + MailLayout.paragraph("You will no longer get the " + period.adjective() + " digest of " + left.siteName() + ". "
                + "You can subscribe again in the site's settings."));
    }

    private Optional<Subscriptions.Unsubscribe> link(ServerRequest request) {
        return request.query().first("token").asOptional().flatMap(digests::unsubscribeLink);
    }

    private static void invalid(ServerRequest request, ServerResponse response) {
        if (!wantsHtml(request)) {
            HttpJson.error(response, 404, "this unsubscribe link is not valid (any more); sign in to change your digests");
            return;
        }
        page(response, 404, "Unknown link", MailLayout.heading("This link does not work")
                + MailLayout.paragraph("This unsubscribe link is not valid (any more). Sign in to HitKeep and change your digests "
                + "in the site's settings."));
    }

    private static boolean wantsHtml(ServerRequest request) {
        return request.headers().first(HeaderNames.ACCEPT).orElse("").contains("text/html");
    }

    private static void page(ServerResponse response, int status, String title, String body) {
        response.status(Status.create(status));
        response.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(MailLayout.page(title, body, "HitKeep").getBytes(StandardCharsets.UTF_8));
    }
}
