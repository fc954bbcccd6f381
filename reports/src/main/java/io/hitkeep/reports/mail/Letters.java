package io.hitkeep.reports.mail;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.Mail;

/**
 * The mails other modules ask for by template name ({@link Mail.Letter}): a password reset link and an
 * invitation. Each has a subject, a plain-text part and an HTML part saying the same. Stateless.
 */
public final class Letters {
    /** A mail's rendered parts. */
    public record Rendered(String subject, String text, String html) {
    }

    private Letters() {
    }

    public static Rendered render(Mail.Letter letter) {
        return switch (letter.template()) {
            case "password-reset" -> passwordReset(field(letter, "link"), field(letter, "minutes"));
            case "invitation" -> invitation(field(letter, "link"), field(letter, "team"), field(letter, "role"),
                    field(letter, "invited_by"), field(letter, "days"));
            default -> throw DomainError.invalid("no mail template named '" + letter.template() + "'");
        };
    }

    private static String field(Mail.Letter letter, String name) {
        String value = letter.fields().get(name);
        if (value == null || value.isBlank()) {
            throw DomainError.invalid("the " + letter.template() + " mail needs '" + name + "'");
        }
        return value;
    }

    static Rendered passwordReset(String link, String minutes) {
        String subject = "Reset your HitKeep password";
        String text = """
                Someone, hopefully you, asked to reset the password of your HitKeep account.

                Open this link within %s minutes to choose a new password (it works once):

                %s

                If it was not you, ignore this mail: your password stays as it is.
                """.formatted(minutes, link);
        String html = MailLayout.page(subject, MailLayout.heading("Reset your password")
                        + MailLayout.paragraph("Someone, hopefully you, asked to reset the password of your HitKeep account. "
                        + "The link works once, within " + minutes + " minutes.")
                        + MailLayout.button("Choose a new password", link)
                        + MailLayout.paragraph("If it was not you, ignore this mail: your password stays as it is."),
                "You get this mail because a password reset was asked for your address on this HitKeep server.");
        return new Rendered(subject, text, html);
    }

    static Rendered invitation(String link, String team, String role, String invitedBy, String days) {
        String subject = invitedBy + " invited you to " + team + " on HitKeep";
        String text = """
                %s invited you to the team "%s" on HitKeep, as %s.

                Open this link within %s days to accept (it works once):

                %s

                If you did not expect this, ignore this mail.
                """.formatted(invitedBy, team, role, days, link);
        String html = MailLayout.page(subject, MailLayout.heading("You are invited to " + team)
                        + MailLayout.paragraph(invitedBy + " invited you to the team \"" + team + "\" on HitKeep, as " + role + ". "
                        + "The link works once, within " + days + " days.")
                        + MailLayout.button("Accept the invitation", link)
                        + MailLayout.paragraph("If you did not expect this, ignore this mail."),
                "You get this mail because someone invited this address to a team on this HitKeep server.");
        return new Rendered(subject, text, html);
    }
}
