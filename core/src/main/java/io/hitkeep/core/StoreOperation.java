package io.hitkeep.core;

/**
 * One operation of the store (the process that owns {@code hitkeep.db}): its name, the record a caller
 * sends and the type it gets back. Declared once, as a constant of the domain that owns it
 * ({@code Sites.GET}); {@link StoreClient#call} takes only a request of the declared type, and the writer
 * hosts a handler of the same types, so caller and handler agree at compile time.
 *
 * <p>On the wire the request and reply are JSON with snake_case names on {@code hk.store.<name>}. A change
 * that only adds fields is compatible (unknown fields are ignored, missing ones take their defaults); any
 * other change gets a new name ({@code sites.get.v2}) while the writer keeps answering the old one for a
 * release, so a split deployment can be upgraded one role at a time. Immutable.
 *
 * @param <Q> the request record
 * @param <R> the reply: a record, or a {@code JsonNode} for a document passed on to HTTP clients as it is
 */
public record StoreOperation<Q, R>(String name, Class<Q> requestType, Class<R> replyType) {
    public StoreOperation {
        if (!name.matches("[a-z][a-z0-9-]*(\\.[a-z0-9-]+)+")) {
            throw new IllegalArgumentException("a store operation is named domain.verb: " + name);
        }
    }

    public static <Q, R> StoreOperation<Q, R> of(String name, Class<Q> requestType, Class<R> replyType) {
        return new StoreOperation<>(name, requestType, replyType);
    }

    /** The NATS subject the writer answers it on. */
    public String subject() {
        return Subjects.store(name);
    }

    /** A request with no fields, for operations that need none. */
    public record None() {
        public static final None NONE = new None();
    }
}
