package io.hitkeep.reports.mail;

import java.util.Map;

/**
 * A mail as the outbox holds it, ready to send: rendered subject and bodies, and extra headers
 * ({@code List-Unsubscribe}). Immutable.
 *
 * @param id   the outbox row; also the stable part of the Message-ID, so a mail sent again after a crash
 *             is recognisably the same mail
 * @param kind what it is: {@code password-reset}, {@code invitation}, {@code digest}
 * @param html empty for a plain-text mail
 */
public record OutgoingMail(long id, String kind, String to, String subject, String text, String html, Map<String, String> headers) {
    public OutgoingMail {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
