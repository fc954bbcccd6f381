package io.hitkeep.core;

/** Names on the NATS broker that the roles share: the hit stream, store requests, key-value buckets. */
public final class Subjects {
    /** The JetStream stream that holds accepted hits until the writer has stored them. */
    public static final String HIT_STREAM = "HITKEEP_HITS";
    /** Gateways publish hit batches here. */
    public static final String HITS = "hk.hits.ingest";
    /** The writer's durable consumer on {@link #HIT_STREAM}. */
    public static final String WRITER_CONSUMER = "writer";
    /** Store requests are {@code hk.store.<operation>}, answered by the leading writer. */
    public static final String STORE_PREFIX = "hk.store.";
    /**
     * Core NATS (not stored): the writer announces sign-outs, new session epochs and revoked or limited API
     * keys here, so every auth cache in every process drops them at once instead of at its next refresh.
     */
    public static final String AUTH_CHANGES = "hk.auth.changes";
    /** Site registry: domain to site, written by the writer, watched by every gateway. */
    public static final String SITES_BUCKET = "hk_sites";
    /** Daily salts for visitor ids, shared by every gateway; keys are UTC dates. */
    public static final String SALTS_BUCKET = "hk_salts";
    /** Leases that choose the one instance doing a deployment's scheduled work (the reports scheduler). */
    public static final String LEASES_BUCKET = "hk_leases";
    /**
     * Core NATS (not stored): the writer says here that a mail was put into the outbox, so the scheduler
     * sends it now rather than at the outbox job's next turn. A lost message only delays the mail.
     */
    public static final String MAIL_QUEUED = "hk.mail.queued";

    private Subjects() {
    }

    public static String store(String operation) {
        return STORE_PREFIX + operation;
    }
}
