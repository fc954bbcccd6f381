package io.hitkeep.reports.mail;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Json;
import io.hitkeep.core.Mail;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.Sql;
import io.hitkeep.writer.SqlFile;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mail outbox in {@code hitkeep.db}, as the writer hosts it: every mail is stored here first, so an API
 * call that sends mail never waits for (or fails with) the SMTP server, and the {@link OutboxJob} sends it.
 *
 * <p>Sending exactly once: the job claims a batch ({@link #CLAIM}: {@code pending} to {@code sending} with a
 * deadline, in one transaction of the one writer, so two senders never get the same mail), sends each mail
 * and then marks it {@link #SENT}. A mail the server refused is put back ({@link #REFUSED}) or given up.
 * The one window left is a sender that dies after the SMTP server's 250 and before {@code SENT} is stored:
 * its claim runs out after {@link #CLAIM_HOLD} and the mail is sent again, with the same Message-ID
 * ({@code <hitkeep-mail-<id>@...>}), which mail clients and servers use to fold duplicates. We chose that
 * (at least once across such a crash) over the opposite (a mail claimed before a crash is never sent):
 * a reset link that never arrives is worse than one that arrives twice.
 *
 * <p>Bodies are emptied once a mail is sent, given up or expired: reset and invitation links are secrets
 * that need not stay in the database. Rows are deleted after {@link #KEEP}. Thread-safe.
 */
public final class Outbox {
    public static final StoreOperation<Claim, Claimed> CLAIM = StoreOperation.of("mail.claim", Claim.class, Claimed.class);
    public static final StoreOperation<MailRef, Done> SENT = StoreOperation.of("mail.sent", MailRef.class, Done.class);
    public static final StoreOperation<Refusal, Done> REFUSED = StoreOperation.of("mail.refused", Refusal.class, Done.class);
    public static final StoreOperation<StoreOperation.None, Counts> COUNTS =
            StoreOperation.of("mail.counts", StoreOperation.None.class, Counts.class);

    /** Up to {@code limit} mails that are due, claimed by the caller for {@link #CLAIM_HOLD}. */
    public record Claim(int limit) {
    }

    public record Claimed(List<OutgoingMail> mails) {
        public Claimed {
            mails = mails == null ? List.of() : List.copyOf(mails);
        }
    }

    public record MailRef(long id) {
    }

    /**
     * A mail the server did not take: {@code giveUp} for a refusal of this mail for good, else it is tried
     * again {@code retryAfterSeconds} from now.
     */
    public record Refusal(long id, String error, boolean giveUp, long retryAfterSeconds) {
    }

    /** Whether the row was in the state the request expected (a claim that ran out is no longer ours). */
    public record Done(boolean changed) {
    }

    /** Rows by state: {@code pending}, {@code sending}, {@code sent}, {@code failed}, {@code expired}. */
    public record Counts(Map<String, Long> states) {
        public Counts {
            states = states == null ? Map.of() : Map.copyOf(states);
        }

        public long of(String state) {
            return states.getOrDefault(state, 0L);
        }
    }

    /** How long a sender holds a claim: longer than a batch can take (each mail times out after 15 s). */
    static final Duration CLAIM_HOLD = Duration.ofMinutes(10);
    /** A mail not sent within this is given up (the SMTP server has been refusing it or down for that long). */
    static final Duration GIVE_UP_AFTER = Duration.ofDays(3);
    /** Sent, failed and expired rows are deleted after this (what was sent when stays visible for a while). */
    static final Duration KEEP = Duration.ofDays(30);

    private enum Query implements SqlFile.Named {
        INSERT_MAIL, EXPIRE_MAILS, GIVE_UP_OLD_MAILS, CLAIM_MAILS, MARK_SENT, RETRY_MAIL, GIVE_UP_MAIL, FORGET_OLD_MAILS, MAIL_COUNTS;

        @Override
        public String file() {
            return "sql/outbox.sql";
        }
    }

    private final Database database;
    private final Clock clock;

    public Outbox(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Renders a letter from its template and stores it. */
    Mail.Queued queue(Mail.Letter letter) {
        Letters.Rendered rendered = Letters.render(letter);
        Instant expires = letter.expiresAt() > 0 ? Instant.ofEpochSecond(letter.expiresAt()) : null;
        long id = database.write("queue mail", sql -> insert(sql, letter.template(), letter.to(), rendered, Map.of(), expires));
        return new Mail.Queued(id);
    }

    /**
     * Stores a mail inside the caller's transaction (a digest is queued together with the note that its
     * period was mailed).
     */
    public long insert(Sql sql, String kind, String to, Letters.Rendered mail, Map<String, String> headers, Instant expires)
            throws SQLException {
        return sql.number(Query.INSERT_MAIL, "kind", kind, "recipient", to, "subject", mail.subject(), "text_body", mail.text(),
                "html_body", mail.html(), "headers", new String(Json.bytes(headers), java.nio.charset.StandardCharsets.UTF_8),
                "now", utc(clock.instant()), "expires_at", expires == null ? null : utc(expires));
    }

    Claimed claim(Claim claim) {
        Instant now = clock.instant();
        int limit = Math.max(1, Math.min(claim.limit(), 100));
        return database.write("claim mails", sql -> {
            sql.update(Query.EXPIRE_MAILS, "now", utc(now));
            sql.update(Query.GIVE_UP_OLD_MAILS, "days", GIVE_UP_AFTER.toDays(), "before", utc(now.minus(GIVE_UP_AFTER)));
            sql.update(Query.FORGET_OLD_MAILS, "before", utc(now.minus(KEEP)));
            List<OutgoingMail> mails = sql.list(Query.CLAIM_MAILS, row -> new OutgoingMail(row.getLong(1), row.getString(2),
                            row.getString(3), row.getString(4), row.getString(5), row.getString(6), headers(row.getString(7))),
                    "claimed_until", utc(now.plus(CLAIM_HOLD)), "now", utc(now), "limit", limit);
            return new Claimed(mails.stream().sorted(Comparator.comparingLong(OutgoingMail::id)).toList());
        });
    }

    Done sent(MailRef mail) {
        return new Done(database.write("mark mail sent", sql -> sql.update(Query.MARK_SENT, "id", mail.id(),
                "now", utc(clock.instant()))) > 0);
    }

    Done refused(Refusal refusal) {
        String error = refusal.error() == null ? "" : refusal.error().length() > 500 ? refusal.error().substring(0, 500) : refusal.error();
        return new Done(database.write("note mail refusal", sql -> refusal.giveUp()
                ? sql.update(Query.GIVE_UP_MAIL, "id", refusal.id(), "error", error)
                : sql.update(Query.RETRY_MAIL, "id", refusal.id(), "error", error,
                "next_attempt_at", utc(clock.instant().plusSeconds(Math.max(0, refusal.retryAfterSeconds()))))) > 0);
    }

    public Counts counts() {
        Map<String, Long> states = new LinkedHashMap<>();
        database.read(sql -> sql.list(Query.MAIL_COUNTS, row -> states.put(row.getString(1), row.getLong(2))));
        return new Counts(states);
    }

    private static Map<String, String> headers(String json) {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<Map<String, String>>() {
            });
        } catch (IOException e) {
            throw new HitKeepException("unreadable headers of an outbox mail: " + e.getMessage(), e);
        }
    }

    /** An instant as DuckDB's TIMESTAMP (no zone) in UTC, like every time in hitkeep.db. */
    public static String utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
    }
}
