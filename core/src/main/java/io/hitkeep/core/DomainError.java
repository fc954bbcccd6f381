package io.hitkeep.core;

import java.util.Locale;
import java.util.Optional;

/**
 * A request the domain refuses, with a {@link Kind} and a message safe to show the client. Domain code
 * (store handlers, request parsing) throws it; it crosses the store boundary as its kind and message, and
 * only the HTTP edge turns a kind into a status. Immutable.
 */
public final class DomainError extends HitKeepException {
    /** Why a request was refused; the HTTP edge maps each to one status. */
    public enum Kind {
        /** The request is malformed or names something impossible. */
        INVALID,
        /** Nobody is signed in, or the credentials are wrong. */
        UNAUTHORIZED,
        /** The caller is known but lacks the role or the means (e.g. an API key where a session is needed). */
        FORBIDDEN,
        /** No such thing, or none the caller may know of. */
        NOT_FOUND,
        /** The request contradicts what is stored (a duplicate, the last owner leaving). */
        CONFLICT,
        /** The request is larger than the domain takes (a body, an upload). */
        TOO_LARGE,
        /** The caller asks too often. */
        TOO_MANY_REQUESTS,
        /** A part of the system (the store, the stream) does not answer; try again shortly. */
        UNAVAILABLE,
        /** The server failed in a way the caller cannot fix; its log has the details. */
        INTERNAL;

        /** As sent on the wire: lower case, e.g. {@code not_found}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Kind> parse(String label) {
            for (Kind kind : values()) {
                if (kind.label().equals(label)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /** For {@link Kind#UNAVAILABLE}: how long to wait before trying again, in seconds (the HTTP {@code Retry-After}). */
    public static final int DEFAULT_RETRY_AFTER_SECONDS = 1;

    private final Kind kind;
    private final int retryAfterSeconds;

    public DomainError(Kind kind, String message) {
        this(kind, message, DEFAULT_RETRY_AFTER_SECONDS);
    }

    public DomainError(Kind kind, String message, int retryAfterSeconds) {
        super(message);
        this.kind = kind;
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public Kind kind() {
        return kind;
    }

    /** Seconds to wait before trying again; meaningful for {@link Kind#UNAVAILABLE}. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static DomainError invalid(String message) {
        return new DomainError(Kind.INVALID, message);
    }

    public static DomainError unauthorized(String message) {
        return new DomainError(Kind.UNAUTHORIZED, message);
    }

    /** The plain "sign in first" of a route reached without a caller. */
    public static DomainError unauthorized() {
        return unauthorized("sign in first");
    }

    public static DomainError forbidden(String message) {
        return new DomainError(Kind.FORBIDDEN, message);
    }

    public static DomainError notFound(String message) {
        return new DomainError(Kind.NOT_FOUND, message);
    }

    public static DomainError conflict(String message) {
        return new DomainError(Kind.CONFLICT, message);
    }

    public static DomainError tooLarge(String message) {
        return new DomainError(Kind.TOO_LARGE, message);
    }

    public static DomainError unavailable(String message) {
        return new DomainError(Kind.UNAVAILABLE, message);
    }

    /** Unavailable for longer than a moment (e.g. rollups catching up): the client is told when to try again. */
    public static DomainError unavailable(String message, java.time.Duration retryAfter) {
        return new DomainError(Kind.UNAVAILABLE, message, (int) Math.min(Integer.MAX_VALUE, retryAfter.toSeconds()));
    }
}
