package io.hitkeep.reports.digest;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.query.Annotations;
import io.hitkeep.reports.mail.Html;
import io.hitkeep.reports.mail.Letters;
import io.hitkeep.reports.mail.MailLayout;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A digest's mail from two answers of the stats operation (the period and the one before): visitors,
 * pageviews, bounce rate and visit duration with their change, the period's annotations (what the site's team
 * noted on the chart: a launch, an outage), then the top pages, sources and countries.
 * An HTML part (tiles and bars in tables with inline styles, a dark variant, no images) and a plain-text
 * part that says the same. Stateless.
 */
public final class DigestMail {
    /** Rows of each top list. */
    static final int TOP = 5;
    /** An annotation's day as the notes show it: "4 May". */
    private static final DateTimeFormatter NOTE_DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

    private DigestMail() {
    }

    /** One number of the summary, as the digest shows it. */
    record Figure(String label, String value, String change, Trend trend) {
    }

    enum Trend { BETTER, WORSE, SAME }

    /**
     * @param current      the stats answer for the period (parts summary and lists)
     * @param previous     the stats answer for the period before (summary)
     * @param annotations  the period's annotations in date order (may be empty)
     * @param dashboard    the dashboard's address for this period
     * @param unsubscribe  the page that ends this digest
     */
    public static Letters.Rendered render(String siteName, String timezone, Period.Range range, JsonNode current, JsonNode previous,
                                          List<Annotations.Annotation> annotations, String dashboard, String unsubscribe) {
        List<Figure> figures = figures(current.get("summary"), previous.get("summary"), range.period());
        String subject = siteName + ": " + range.title() + " on HitKeep";
        String heading = siteName + ", " + range.title();
        String compared = "Compared with the " + range.period().label() + " before. Days in " + timezone + ".";
        return new Letters.Rendered(subject, text(heading, compared, figures, current, annotations, dashboard, unsubscribe, range),
                html(subject, heading, compared, figures, current, annotations, dashboard, unsubscribe, range));
    }

    static List<Figure> figures(JsonNode now, JsonNode before, Period period) {
        String previous = " vs the " + period.label() + " before";
        List<Figure> figures = new ArrayList<>();
        figures.add(figure("Visitors", count(now.path("visitors").asLong()), now.path("visitors").asDouble(),
                before.path("visitors").asDouble(), true));
        figures.add(figure("Pageviews", count(now.path("pageviews").asLong()), now.path("pageviews").asDouble(),
                before.path("pageviews").asDouble(), true));
        figures.add(figure("Bounce rate", Math.round(now.path("bounce_rate").asDouble()) + "%", now.path("bounce_rate").asDouble(),
                before.path("bounce_rate").asDouble(), false));
        figures.add(figure("Visit duration", duration(now.path("avg_session_duration").asDouble()),
                now.path("avg_session_duration").asDouble(), before.path("avg_session_duration").asDouble(), true));
        return figures.stream().map(figure -> new Figure(figure.label(), figure.value(), figure.change().isEmpty()
                ? "" : figure.change() + previous, figure.trend())).toList();
    }

    /** The change in percent, "new" after nothing, "no change"; whether it is good depends on {@code higherIsBetter}. */
    private static Figure figure(String label, String value, double now, double before, boolean higherIsBetter) {
        if (before == 0) {
            return new Figure(label, value, now == 0 ? "" : "new", now == 0 ? Trend.SAME : higherIsBetter ? Trend.BETTER : Trend.WORSE);
        }
        long percent = Math.round((now - before) / before * 100);
        if (percent == 0) {
            return new Figure(label, value, "no change", Trend.SAME);
        }
        boolean up = percent > 0;
        return new Figure(label, value, (up ? "+" : "\u2212") + Math.abs(percent) + "%", up == higherIsBetter ? Trend.BETTER : Trend.WORSE);
    }

    static String count(long value) {
        return String.format(Locale.ENGLISH, "%,d", value);
    }

    /** "1m 05s", "42s", "1h 02m". */
    static String duration(double seconds) {
        long total = Math.round(seconds);
        if (total < 60) {
            return total + "s";
        }
        if (total < 3600) {
            return total / 60 + "m " + String.format(Locale.ROOT, "%02d", total % 60) + "s";
        }
        return total / 3600 + "h " + String.format(Locale.ROOT, "%02d", total % 3600 / 60) + "m";
    }

    /** A top list's title, the stats answer's list, and how its values read. */
    private record TopList(String title, String list, boolean countryCodes) {
    }

    private static final List<TopList> LISTS = List.of(new TopList("Top pages", "pages", false),
            new TopList("Top sources", "sources", false), new TopList("Top countries", "countries", true));

    private static String label(TopList list, String value) {
        if (value == null || value.isBlank()) {
            return list.list().equals("sources") ? "Direct / none" : "Unknown";
        }
        if (list.countryCodes() && value.length() == 2) {
            String name = Locale.of("", value).getDisplayCountry(Locale.ENGLISH);
            return name.isBlank() || name.equals(value) ? value : name;
        }
        return value;
    }

    /** "4 May: Launched the pricing page", as both parts show an annotation. */
    private static String note(Annotations.Annotation annotation) {
        String date = annotation.date();
        try {
            date = LocalDate.parse(date).format(NOTE_DAY);
        } catch (DateTimeParseException kept) {
            // shown as stored
        }
        return date + ": " + annotation.text();
    }

    private static String text(String heading, String compared, List<Figure> figures, JsonNode current,
                               List<Annotations.Annotation> annotations,
                               String dashboard, String unsubscribe, Period.Range range) {
        StringBuilder text = new StringBuilder();
        text.append(heading).append("\n").append("=".repeat(Math.min(heading.length(), 72))).append("\n\n");
        for (Figure figure : figures) {
            text.append(String.format(Locale.ROOT, "%-16s %10s   %s%n", figure.label(), figure.value(), figure.change()));
        }
        text.append("\n").append(compared).append("\n");
        if (!annotations.isEmpty()) {
            text.append("\nNotes\n");
            annotations.forEach(annotation -> text.append("  ").append(note(annotation)).append("\n"));
        }
        for (TopList list : LISTS) {
            text.append("\n").append(list.title()).append(" (visitors)\n");
            JsonNode rows = current.path(list.list());
            if (rows.isEmpty()) {
                text.append("  none in this ").append(range.period().label()).append("\n");
            }
            for (JsonNode row : limited(rows)) {
                String name = label(list, row.path("value").asText());
                text.append(String.format(Locale.ROOT, "  %-48s %8s%n", name.length() > 48 ? name.substring(0, 47) + "\u2026" : name,
                        count(row.path("visitors").asLong())));
            }
        }
        text.append("\nOpen the dashboard: ").append(dashboard).append("\n");
        text.append("\nYou get this ").append(range.period().adjective()).append(" digest because you subscribed to it in HitKeep.\n");
        text.append("Unsubscribe: ").append(unsubscribe).append("\n");
        return text.toString();
    }

    private static List<JsonNode> limited(JsonNode rows) {
        List<JsonNode> list = new ArrayList<>();
        rows.forEach(row -> {
            if (list.size() < TOP) {
                list.add(row);
            }
        });
        return list;
    }

    private static String html(String title, String heading, String compared, List<Figure> figures, JsonNode current,
                               List<Annotations.Annotation> annotations, String dashboard, String unsubscribe, Period.Range range) {
        StringBuilder body = new StringBuilder(MailLayout.heading(heading));
        body.append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" style=\"border-collapse:separate;border-spacing:0 8px;\"><tr>");
        for (int i = 0; i < figures.size(); i++) {
            if (i == 2) {
                body.append("</tr><tr>");
            }
            body.append(tile(figures.get(i), i % 2 == 0));
        }
        body.append("</tr></table>\n");
        body.append("<p class=\"hk-muted\" style=\"margin:4px 0 8px;font-size:13px;color:").append(MailLayout.MUTED).append(";\">")
                .append(Html.escape(compared)).append("</p>\n");
        if (!annotations.isEmpty()) {
            body.append(subheading("Notes"));
            annotations.forEach(annotation -> body.append(MailLayout.paragraph(note(annotation))));
        }
        for (TopList list : LISTS) {
            body.append(topList(list, current.path(list.list()), range));
        }
        body.append(MailLayout.button("Open the dashboard", dashboard));
        String footer = "You get this " + range.period().adjective() + " digest because you subscribed to it in HitKeep. "
                + "<a class=\"hk-muted\" href=\"" + Html.escape(unsubscribe) + "\" style=\"color:" + MailLayout.MUTED
                + ";text-decoration:underline;\">Unsubscribe</a>";
        return MailLayout.page(title, body.toString(), footer);
    }

    private static String tile(Figure figure, boolean left) {
        String colour = switch (figure.trend()) {
            case BETTER -> "#15803d";
            case WORSE -> "#b91c1c";
            case SAME -> MailLayout.MUTED;
        };
        String trendClass = switch (figure.trend()) {
            case BETTER -> "hk-up";
            case WORSE -> "hk-down";
            case SAME -> "hk-muted";
        };
        return "<td width=\"50%\" valign=\"top\" style=\"padding:" + (left ? "0 4px 0 0" : "0 0 0 4px") + ";\">"
                + "<div class=\"hk-tile\" style=\"background:#f8fafc;border-radius:10px;padding:14px 16px;\">"
                + "<div class=\"hk-muted\" style=\"font-size:13px;color:" + MailLayout.MUTED + ";\">" + Html.escape(figure.label()) + "</div>"
                + "<div class=\"hk-text\" style=\"font-size:26px;font-weight:700;line-height:1.25;color:" + MailLayout.TEXT + ";\">"
                + Html.escape(figure.value()) + "</div>"
                + "<div class=\"" + trendClass + "\" style=\"font-size:13px;color:" + colour + ";\">"
                + (figure.change().isEmpty() ? "&nbsp;" : Html.escape(figure.change())) + "</div>"
                + "</div></td>";
    }

    private static String subheading(String title) {
        return "<h2 class=\"hk-text\" style=\"margin:24px 0 8px;font-size:16px;font-weight:700;color:" + MailLayout.TEXT + ";\">"
                + Html.escape(title) + "</h2>\n";
    }

    private static String topList(TopList list, JsonNode rows, Period.Range range) {
        StringBuilder html = new StringBuilder();
        html.append(subheading(list.title()));
        List<JsonNode> top = limited(rows);
        if (top.isEmpty()) {
            return html.append(MailLayout.paragraph("None in this " + range.period().label() + ".")).toString();
        }
        long most = Math.max(1, top.stream().mapToLong(row -> row.path("visitors").asLong()).max().orElse(1));
        html.append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\">");
        html.append("<tr><td class=\"hk-muted\" style=\"padding:0 0 4px;font-size:12px;color:").append(MailLayout.MUTED)
                .append(";\">&nbsp;</td><td class=\"hk-muted\" align=\"right\" style=\"padding:0 0 4px;font-size:12px;color:")
                .append(MailLayout.MUTED).append(";\">Visitors</td></tr>");
        for (JsonNode row : top) {
            long visitors = row.path("visitors").asLong();
            long width = Math.max(1, Math.round(visitors * 100.0 / most));
            html.append("<tr><td class=\"hk-rule\" style=\"padding:6px 8px 6px 0;border-top:1px solid ").append(MailLayout.RULE).append(";\">")
                    .append("<div class=\"hk-text\" style=\"font-size:14px;color:").append(MailLayout.TEXT)
                    .append(";word-break:break-all;\">").append(Html.escape(label(list, row.path("value").asText()))).append("</div>")
                    .append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\"><tr>")
                    .append("<td class=\"hk-bar\" width=\"").append(width).append("%\" style=\"height:4px;line-height:4px;font-size:0;background:#c7d2fe;border-radius:2px;\">&nbsp;</td>")
                    .append(width < 100 ? "<td style=\"font-size:0;line-height:4px;\">&nbsp;</td>" : "")
                    .append("</tr></table></td>")
                    .append("<td class=\"hk-text hk-rule\" align=\"right\" valign=\"top\" style=\"padding:6px 0;border-top:1px solid ")
                    .append(MailLayout.RULE).append(";font-size:14px;font-weight:600;color:").append(MailLayout.TEXT).append(";white-space:nowrap;\">")
                    .append(count(visitors)).append("</td></tr>");
        }
        return html.append("</table>\n").toString();
    }
}
