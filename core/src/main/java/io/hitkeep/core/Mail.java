package io.hitkeep.core;

import java.util.Map;

/**
 * E-mail as any module asks for it: {@code store.call(Mail.QUEUE, new Mail.Letter("password-reset", to, fields, expires))}
 * puts a letter into the outbox, which the reports module owns (its handler renders the template, its
 * outbox job sends it over SMTP). Declared here because auth, which sends reset and invitation links,
 * cannot depend on reports. Immutable.
 */
public final class Mail {
    /** {@code HITKEEP_SMTP_HOST}: set, mail is sent; unset, links are written to the log instead. */
    public static final String SMTP_HOST = "smtp-host";

    public static final StoreOperation<Letter, Queued> QUEUE = StoreOperation.of("mail.queue", Letter.class, Queued.class);

    /**
     * A mail from one of the reports module's templates.
     *
     * @param template  {@code password-reset} or {@code invitation}
     * @param to        the recipient's address
     * @param fields    what fills the template (e.g. {@code link}); may hold a secret, so never logged
     * @param expiresAt epoch seconds after which it is not worth sending (a reset link's end), 0 for never
     */
    public record Letter(String template, String to, Map<String, String> fields, long expiresAt) {
        public Letter {
            fields = fields == null ? Map.of() : Map.copyOf(fields);
        }
    }

    /** The outbox row the letter became. */
    public record Queued(long id) {
    }

    private Mail() {
    }

    /** Whether this deployment sends mail: {@code HITKEEP_SMTP_HOST} is set. */
    public static boolean configured(Settings settings) {
        return settings.value(SMTP_HOST).filter(host -> !host.isBlank()).isPresent();
    }
}
