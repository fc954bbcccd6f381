package io.hitkeep.reports.mail;

import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Mail;
import io.hitkeep.core.Settings;

import java.util.Locale;
import java.util.Optional;

/**
 * How to reach the SMTP server: {@code HITKEEP_SMTP_HOST}, {@code _PORT} (default 25 without TLS, 587 with
 * STARTTLS, 465 with TLS), {@code _USER} and {@code _PASSWORD} (both or neither), {@code _FROM} (the sender,
 * default {@code hitkeep@<host of HITKEEP_PUBLIC_URL>}), {@code _TLS} ({@code none}, {@code starttls}
 * (default), {@code tls}). Empty when no host is set: then no mail is sent. The password never appears in
 * {@link #toString()}. Immutable.
 */
public record SmtpSettings(String host, int port, Optional<String> user, Optional<String> password, String from, Tls tls) {
    public static final String PORT = "smtp-port";
    public static final String USER = "smtp-user";
    public static final String PASSWORD = "smtp-password";
    public static final String FROM = "smtp-from";
    public static final String TLS = "smtp-tls";

    /** How the connection is protected. */
    public enum Tls {
        /** Plain text: only for a relay on the same machine or network. */
        NONE,
        /** Plain connection upgraded with STARTTLS, which is required (a server that does not offer it is refused). */
        STARTTLS,
        /** TLS from the first byte ("SMTPS", port 465). */
        TLS
    }

    public SmtpSettings {
        if (user.isPresent() != password.isPresent()) {
            throw new HitKeepException("HITKEEP_SMTP_USER and HITKEEP_SMTP_PASSWORD go together: set both or neither");
        }
    }

    /** The SMTP settings, or empty when {@code HITKEEP_SMTP_HOST} is not set; a bad value is refused at start. */
    public static Optional<SmtpSettings> of(Settings settings) {
        if (!Mail.configured(settings)) {
            return Optional.empty();
        }
        String host = settings.value(Mail.SMTP_HOST).orElseThrow().strip();
        String tlsName = settings.value(TLS, "starttls").strip().toUpperCase(Locale.ROOT);
        Tls tls;
        try {
            tls = Tls.valueOf(tlsName);
        } catch (IllegalArgumentException e) {
            throw new HitKeepException("HITKEEP_SMTP_TLS must be none, starttls or tls, not '" + tlsName.toLowerCase(Locale.ROOT) + "'");
        }
        int port = settings.intValue(PORT, switch (tls) {
            case NONE -> 25;
            case STARTTLS -> 587;
            case TLS -> 465;
        });
        if (port < 1 || port > 65535) {
            throw new HitKeepException("HITKEEP_SMTP_PORT must be between 1 and 65535");
        }
        String from = settings.value(FROM).map(String::strip).filter(value -> !value.isEmpty())
                .orElseGet(() -> "hitkeep@" + defaultSenderDomain(settings));
        if (from.indexOf('@') <= 0 || from.contains(" ") && !from.contains("<")) {
            throw new HitKeepException("HITKEEP_SMTP_FROM must be an e-mail address, e.g. hitkeep@example.com or "
                    + "'HitKeep <hitkeep@example.com>'");
        }
        return Optional.of(new SmtpSettings(host, port, settings.value(USER).filter(value -> !value.isBlank()),
                settings.value(PASSWORD).filter(value -> !value.isEmpty()), from, tls));
    }

    private static String defaultSenderDomain(Settings settings) {
        return settings.value(Settings.PUBLIC_URL).map(url -> {
            try {
                return java.net.URI.create(url.strip()).getHost();
            } catch (IllegalArgumentException e) {
                return null;
            }
        }).filter(host -> host != null && !host.isBlank()).orElse("localhost");
    }

    /** The domain of the sender address, for Message-IDs. */
    public String senderDomain() {
        String address = from.contains("<") ? from.substring(from.indexOf('<') + 1, from.indexOf('>', from.indexOf('<'))) : from;
        return address.substring(address.indexOf('@') + 1).strip();
    }

    @Override
    public String toString() {
        return tls.name().toLowerCase(Locale.ROOT) + "://" + user.map(name -> name + "@").orElse("") + host + ":" + port
                + " from " + from;
    }
}
