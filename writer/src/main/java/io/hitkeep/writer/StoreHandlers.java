package io.hitkeep.writer;

/**
 * A domain's store handlers, hosted by the writer: the module that owns a domain (auth, query-api...)
 * implements this and lists the class in {@code META-INF/services/io.hitkeep.writer.StoreHandlers}; the
 * writer finds every one on its class path and answers their operations. So a domain's SQL and rules live
 * in its own module while only the writer process opens {@code hitkeep.db}.
 */
public interface StoreHandlers {
    /** Registers this domain's operations; called once when the writer starts, with the database open. */
    void register(StoreRegistry registry);
}
