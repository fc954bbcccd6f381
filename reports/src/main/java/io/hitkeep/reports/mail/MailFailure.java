package io.hitkeep.reports.mail;

import io.hitkeep.core.HitKeepException;

/**
 * Why the SMTP server did not take a mail, sorted by what to do about it. Immutable.
 */
public final class MailFailure extends HitKeepException {
    /** What failed, and so what the outbox does next. */
    public enum Kind {
        /** Connection refused, timed out, or a 4xx answer: try again later, the mail is kept. */
        UNAVAILABLE,
        /** The server refused our sign-in: a setting is wrong; every mail waits until it is fixed. */
        AUTHENTICATION,
        /** The server refused the sender address ({@code MAIL FROM}): HITKEEP_SMTP_FROM is wrong; every mail waits. */
        SENDER_REFUSED,
        /** The server refused this recipient or this message for good (5xx): this mail is given up. */
        MAIL_REFUSED,
        /** The server put off this recipient or message (4xx: greylisting, a full mailbox): this mail waits a while. */
        MAIL_DEFERRED

    }

    private final Kind kind;

    public MailFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
