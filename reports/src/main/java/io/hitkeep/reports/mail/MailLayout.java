package io.hitkeep.reports.mail;

/**
 * The frame every HTML mail of ours shares: a centred card at most 600 px wide, built from tables with
 * inline styles (what mail clients render alike), no remote images or fonts (nothing is fetched when the
 * mail is opened), system fonts, and a dark variant: {@code color-scheme} meta tags plus a
 * {@code prefers-color-scheme: dark} block that clients supporting it (Apple Mail, Outlook on the web and
 * on macOS, Thunderbird) apply over the inline colours through the {@code hk-*} classes. Stateless.
 */
public final class MailLayout {
    /** The dashboard's indigo; readable on white and on the dark card. */
    public static final String ACCENT = "#4f46e5";
    public static final String TEXT = "#0f172a";
    public static final String MUTED = "#64748b";
    public static final String RULE = "#e2e8f0";
    public static final String FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

    private static final String DARK = """
            :root { color-scheme: light dark; supported-color-schemes: light dark; }
            @media (prefers-color-scheme: dark) {
              .hk-page { background: #0b1120 !important; }
              .hk-card { background: #111827 !important; border-color: #1f2937 !important; }
              .hk-text { color: #e5e7eb !important; }
              .hk-muted { color: #9ca3af !important; }
              .hk-rule { border-color: #1f2937 !important; }
              .hk-tile { background: #1f2937 !important; }
              .hk-bar { background: #4338ca !important; }
              .hk-accent { color: #a5b4fc !important; }
              .hk-button { background: #6366f1 !important; color: #ffffff !important; }
              .hk-up { color: #4ade80 !important; }
              .hk-down { color: #f87171 !important; }
            }
            """;

    private MailLayout() {
    }

    /**
     * A whole HTML document around {@code body} (HTML, already escaped).
     *
     * @param title    the document's title and hidden preview text
     * @param footer   small print under the card (HTML, already escaped)
     */
    public static String page(String title, String body, String footer) {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                + "<meta name=\"color-scheme\" content=\"light dark\"><meta name=\"supported-color-schemes\" content=\"light dark\">"
                + "<title>" + Html.escape(title) + "</title><style>" + DARK + "</style></head>\n"
                + "<body class=\"hk-page\" style=\"margin:0;padding:0;background:#f1f5f9;\">"
                + "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" class=\"hk-page\" "
                + "style=\"background:#f1f5f9;\"><tr><td align=\"center\" style=\"padding:24px 12px;\">"
                + "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" class=\"hk-card\" "
                + "style=\"max-width:600px;background:#ffffff;border:1px solid " + RULE + ";border-radius:12px;\">"
                + "<tr><td class=\"hk-text\" style=\"padding:28px;font-family:" + FONT + ";color:" + TEXT + ";font-size:15px;line-height:1.5;\">"
                + "<div class=\"hk-accent\" style=\"font-size:12px;font-weight:700;letter-spacing:0.08em;text-transform:uppercase;color:"
                + ACCENT + ";\">HitKeep</div>\n"
                + body
                + "</td></tr></table>"
                + "<div class=\"hk-muted\" style=\"max-width:600px;padding:16px 12px 0;font-family:" + FONT + ";font-size:12px;line-height:1.5;color:"
                + MUTED + ";\">" + footer + "</div>"
                + "</td></tr></table></body></html>\n";
    }

    /** A heading in the card. */
    public static String heading(String text) {
        return "<h1 class=\"hk-text\" style=\"margin:8px 0 16px;font-size:22px;line-height:1.3;font-weight:700;color:" + TEXT + ";\">"
                + Html.escape(text) + "</h1>\n";
    }

    /** A paragraph of plain text. */
    public static String paragraph(String text) {
        return "<p class=\"hk-text\" style=\"margin:0 0 16px;color:" + TEXT + ";\">" + Html.escape(text) + "</p>\n";
    }

    /** A button-like link, with the address written out below it for clients that show no buttons. */
    public static String button(String label, String href) {
        return "<p style=\"margin:24px 0;\"><a class=\"hk-button\" href=\"" + Html.escape(href) + "\" style=\"display:inline-block;"
                + "padding:12px 20px;border-radius:8px;background:" + ACCENT + ";color:#ffffff;font-weight:600;text-decoration:none;\">"
                + Html.escape(label) + "</a></p>\n"
                + "<p class=\"hk-muted\" style=\"margin:0 0 16px;font-size:13px;color:" + MUTED + ";word-break:break-all;\">"
                + "Or open this address: <a class=\"hk-accent\" href=\"" + Html.escape(href) + "\" style=\"color:" + ACCENT + ";\">"
                + Html.escape(href) + "</a></p>\n";
    }
}
