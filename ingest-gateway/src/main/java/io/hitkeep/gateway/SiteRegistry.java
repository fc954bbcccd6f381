package io.hitkeep.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.Buckets;
import io.hitkeep.core.ClientAddress;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Json;
import io.hitkeep.core.PathGlobs;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The gateway's copy of the site registry: the {@code hk_sites} bucket, watched so a new site is known
 * within milliseconds. A domain not in the copy is looked up once directly (the watch may lag a site
 * created a moment ago) and then remembered as unknown for a few seconds, so a flood of hits for a
 * domain nobody registered does not reach the broker. Thread-safe.
 */
final class SiteRegistry implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SiteRegistry.class.getName());
    private static final long UNKNOWN_NANOS = 5_000_000_000L;
    private static final int MAX_UNKNOWN = 50_000;

    /**
     * What the gateway needs of a site: the team it belongs to (whose API keys may send server-side hits),
     * and its privacy settings.
     *
     * @param honourDnt whether a visitor's Do Not Track or Global Privacy Control drops their hits
     * @param umamiWebsiteId the Umami website id (a lower-case UUID) whose hits are this site's, empty for none
     * @param goatCounterCode the GoatCounter site code (lower case) whose hits are this site's, empty for none
     */
    record Site(int id, int teamId, String domain, ClientAddress.Ranges excludedIps, PathGlobs excludedPaths,
                boolean honourDnt, String umamiWebsiteId, String goatCounterCode) {
        /** A site with the default settings: nothing excluded, DNT honoured. */
        Site(int id, int teamId, String domain) {
            this(id, teamId, domain, ClientAddress.Ranges.NONE, PathGlobs.NONE, true);
        }

        /** A site without an Umami website id or a GoatCounter code. */
        Site(int id, int teamId, String domain, ClientAddress.Ranges excludedIps, PathGlobs excludedPaths, boolean honourDnt) {
            this(id, teamId, domain, excludedIps, excludedPaths, honourDnt, "", "");
        }

        /** Whether a page on this host (a site key) is this site's: its domain or below it. */
        boolean covers(String host) {
            return host.equals(domain) || host.endsWith("." + domain);
        }
    }

    private final KeyValue bucket;
    private final ConcurrentHashMap<String, Site> sites = new ConcurrentHashMap<>();
    /** Umami website id to site; kept by the watch alone (the bucket is keyed by domain, so no direct lookup). */
    private final ConcurrentHashMap<String, Site> umamiWebsites = new ConcurrentHashMap<>();
    /** GoatCounter code to site; kept by the watch alone, like the Umami website ids. */
    private final ConcurrentHashMap<String, Site> goatCounterCodes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> unknownSince = new ConcurrentHashMap<>();
    private final io.nats.client.impl.NatsKeyValueWatchSubscription watch;

    SiteRegistry(Connection nats) {
        this.bucket = Buckets.sites(nats);
        try {
            this.watch = bucket.watchAll(new KeyValueWatcher() {
                @Override
                public void watch(KeyValueEntry entry) {
                    apply(entry);
                }

                @Override
                public void endOfData() {
                    LOG.fine(() -> "site registry loaded: " + sites.size() + " sites");
                }
            });
        } catch (IOException | JetStreamApiException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new HitKeepException("cannot watch the site registry: " + e.getMessage(), e);
        }
    }

    private void apply(KeyValueEntry entry) {
        if (entry.getOperation() != KeyValueOperation.PUT || entry.getValue() == null) {
            forgetOtherToolsIds(sites.remove(entry.getKey()));
            return;
        }
        parse(entry.getValue()).ifPresent(site -> {
            // one watch thread delivers the entries in order, so the old ids are the ones to forget
            forgetOtherToolsIds(sites.put(site.domain(), site));
            if (!site.umamiWebsiteId().isEmpty()) {
                umamiWebsites.put(site.umamiWebsiteId(), site);
            }
            if (!site.goatCounterCode().isEmpty()) {
                goatCounterCodes.put(site.goatCounterCode(), site);
            }
            unknownSince.remove(site.domain());
        });
    }

    private void forgetOtherToolsIds(Site previous) {
        if (previous != null) {
            umamiWebsites.remove(previous.umamiWebsiteId(), previous);
            goatCounterCodes.remove(previous.goatCounterCode(), previous);
        }
    }

    private static Optional<Site> parse(byte[] value) {
        try {
            JsonNode node = Json.tree(value);
            // entries written before the privacy settings existed have none: the defaults
            return Optional.of(new Site(node.get("id").asInt(), node.path("team_id").asInt(0), node.get("domain").asText(),
                    ClientAddress.Ranges.parse("excluded_ips", node.path("excluded_ips").asText("")),
                    PathGlobs.parse("excluded_paths", node.path("excluded_paths").asText("")),
                    node.path("honour_dnt").asBoolean(true), node.path("umami_website_id").asText(""),
                    node.path("goatcounter_code").asText("")));
        } catch (IOException | NullPointerException | HitKeepException e) {
            LOG.warning("ignoring a malformed site registry entry");
            return Optional.empty();
        }
    }

    /** The site registered for this site key (host without {@code www.}), if any. */
    Optional<Site> find(String domain) {
        Site known = sites.get(domain);
        if (known != null) {
            return Optional.of(known);
        }
        long now = System.nanoTime();
        Long since = unknownSince.get(domain);
        if (since != null && now - since < UNKNOWN_NANOS) {
            return Optional.empty();
        }
        Optional<Site> fetched = Optional.empty();
        try {
            KeyValueEntry entry = bucket.get(domain);
            if (entry != null && entry.getValue() != null) {
                fetched = parse(entry.getValue());
            }
        } catch (IOException | JetStreamApiException | IllegalArgumentException e) {
            // an invalid key (odd host) or a broker hiccup: treat as unknown for now
        }
        if (fetched.isPresent()) {
            sites.put(domain, fetched.get());
        } else {
            if (unknownSince.size() > MAX_UNKNOWN) {
                unknownSince.clear();
            }
            unknownSince.put(domain, now);
        }
        return fetched;
    }

    /** The site whose Umami website id this is (a lower-case UUID), if any. */
    Optional<Site> umamiWebsite(String websiteId) {
        return Optional.ofNullable(umamiWebsites.get(websiteId));
    }

    /** The site whose GoatCounter code this is (lower case), if any. */
    Optional<Site> goatCounterCode(String code) {
        return Optional.ofNullable(goatCounterCodes.get(code));
    }

    @Override
    public void close() {
        try {
            watch.unsubscribe();
        } catch (RuntimeException ignored) {
            // the connection may be closing already
        }
    }
}
