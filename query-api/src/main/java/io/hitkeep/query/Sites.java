package io.hitkeep.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Scoped;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.core.Scope;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.SqlFile;
import io.hitkeep.auth.Access;
import io.hitkeep.auth.Teams;
import io.hitkeep.core.Buckets;
import io.hitkeep.core.ClientAddress;
import io.hitkeep.core.Domains;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Json;
import io.hitkeep.core.PathGlobs;
import io.hitkeep.core.Role;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Sites: stored in DuckDB (the source of truth) and mirrored into the {@code hk_sites} key-value bucket,
 * keyed by domain, which every gateway watches to map a hit's host to its site. Thread-safe.
 */
public final class Sites {
    public static final StoreOperation<Scoped, SiteList> LIST = StoreOperation.of("sites.list", Scoped.class, SiteList.class);
    public static final StoreOperation<SiteRef, Site> GET = StoreOperation.of("sites.get", SiteRef.class, Site.class);
    public static final StoreOperation<NewSite, Site> CREATE = StoreOperation.of("sites.create", NewSite.class, Site.class);
    public static final StoreOperation<SiteChanges, Site> UPDATE = StoreOperation.of("sites.update", SiteChanges.class, Site.class);
    public static final StoreOperation<SiteRef, DeletedSite> DELETE = StoreOperation.of("sites.delete", SiteRef.class, DeletedSite.class);

    public record SiteRef(Scope scope, int siteId) {}

    /** {@code teamId} 0: the caller's first team where they are admin or owner. */
    public record NewSite(Scope scope, int teamId, String domain, String name, String timezone) {}

    /** The fields to change, as the PATCH body gave them (validated by the HTTP face): left out keeps the value. */
    public record SiteChanges(Scope scope, int siteId, ObjectNode changes) {}

    /**
     * A site and its settings, with the caller's {@code role} in it; {@code retention_days} null keeps every hit,
     * an empty {@code umami_website_id} or {@code goatcounter_code} is none. The registry bucket holds it without
     * a role.
     */
    public record Site(int id, long ownerId, int teamId, String domain, String name, String timezone, String createdAt,
                       String excludedIps, String excludedPaths, boolean honourDnt, String umamiWebsiteId, String goatcounterCode,
                       Integer retentionDays, @JsonInclude(JsonInclude.Include.NON_NULL) String role) {
        /** The site of a row of a statement of {@code sql/sites.sql} that answers sites, without a role. */
        static Site from(ResultSet row) throws SQLException {
            int days = row.getInt("retention_days");
            Integer retention = row.wasNull() ? null : days;
            return new Site(row.getInt("id"), row.getLong("owner_id"), row.getInt("team_id"), row.getString("domain"),
                    row.getString("name"), row.getString("timezone"), row.getString("created_at"), row.getString("excluded_ips"),
                    row.getString("excluded_paths"), row.getBoolean("honour_dnt"), row.getString("umami_website_id"),
                    row.getString("goatcounter_code"), retention, null);
        }

        Site withRole(String newRole) {
            return new Site(id, ownerId, teamId, domain, name, timezone, createdAt, excludedIps, excludedPaths, honourDnt,
                    umamiWebsiteId, goatcounterCode, retentionDays, newRole);
        }
    }

    /** The sites of the caller's teams. */
    public record SiteList(List<Site> sites) {
        public SiteList {
            sites = sites == null ? List.of() : List.copyOf(sites);
        }
    }

    public record DeletedSite(int id, String domain, boolean deleted) {
    }

    /** The statements of {@code sql/sites.sql}, each named there like its constant, in lower case with dashes. */
    private enum Query implements SqlFile.Named {
        SITES_OF_USER, SITE, ALL_SITES, INSERT_SITE, UPDATE_SITE, DELETE_HITS_OF_SITE, DELETE_EVENTS_OF_SITE,
        DELETE_ENGAGEMENTS_OF_SITE, DELETE_SHARE_LINKS_OF_SITE, DELETE_GOALS_OF_SITE, DELETE_ANNOTATIONS_OF_SITE,
        DELETE_FUNNELS_OF_SITE, DELETE_IMPORTED_DAYS_OF_SITE, DELETE_IMPORTED_LISTS_OF_SITE, DELETE_IMPORTED_PAGEVIEWS_OF_SITE,
        DELETE_IMPORTS_OF_SITE, DELETE_SITE;

        @Override
        public String file() {
            return "sql/sites.sql";
        }
    }
    /** In this order: what was recorded or imported for the site, its share links, then the site. */
    private static final List<Query> DELETE_SITE_IN_ORDER = List.of(Query.DELETE_HITS_OF_SITE, Query.DELETE_EVENTS_OF_SITE,
            Query.DELETE_ENGAGEMENTS_OF_SITE, Query.DELETE_SHARE_LINKS_OF_SITE, Query.DELETE_GOALS_OF_SITE,
            Query.DELETE_ANNOTATIONS_OF_SITE, Query.DELETE_FUNNELS_OF_SITE, Query.DELETE_IMPORTED_DAYS_OF_SITE,
            Query.DELETE_IMPORTED_LISTS_OF_SITE, Query.DELETE_IMPORTED_PAGEVIEWS_OF_SITE, Query.DELETE_IMPORTS_OF_SITE, Query.DELETE_SITE);

    private final Database database;
    private final KeyValue registry;
    private final Teams teams;

    Sites(Database database, Connection nats, Teams teams) {
        this.database = database;
        this.registry = Buckets.sites(nats);
        this.teams = teams;
    }

    /** The sites of every team the caller belongs to (a key: of its team), each with the caller's role. */
    SiteList list(Scope scope) {
        List<Site> sites = database.read(sql -> sql.list(Query.SITES_OF_USER, row -> {
            Role role = Role.parse(row.getString("member_role")).orElse(Role.MEMBER);
            return Site.from(row).withRole((scope.viaKey() ? role.min(scope.keyRole()) : role).label());
        }, "user_id", scope.userId()));
        return new SiteList(sites.stream().filter(site -> !scope.viaKey() || site.teamId() == scope.keyTeamId()).toList());
    }

    /**
     * The site with the caller's role in it, when that role is at least {@code needed}; a site of a team the
     * caller is not in is a 404 that does not tell whether it exists.
     */
    Site get(Scope scope, int siteId, Access.Action action) {
        Site site = find(siteId).orElseThrow(() -> DomainError.notFound("no such site"));
        return site.withRole(teams.require(scope, site.teamId(), action, "no such site").label());
    }

    Optional<Site> find(int siteId) {
        return database.read(sql -> sql.first(Query.SITE, Site::from, "site_id", siteId));
    }

    /** Adds a site to the team ({@code teamId} 0: the caller's first team where they are admin or owner). */
    Site create(Scope scope, int teamId, String typedDomain, String name, String timezone) {
        int team = teamId != 0 ? teamId : teams.defaultTeam(scope, Role.ADMIN);
        teams.require(scope, team, Access.Action.CREATE_SITE, "no such team");
        String domain = Domains.parse(typedDomain)
                .orElseThrow(() -> DomainError.invalid("domain must be a host name such as example.com"));
        String zone = zone(timezone.isBlank() ? "UTC" : timezone);
        String label = label(name.isBlank() ? domain : name);
        Site site = database.write("add site", sql -> {
            try {
                return sql.first(Query.INSERT_SITE, Site::from, "user_id", scope.userId(), "team_id", team, "domain", domain,
                        "name", label, "timezone", zone).orElseThrow();
            } catch (SQLException e) {
                if (e.getMessage().contains("onstraint")) {
                    throw DomainError.conflict("a site for " + domain + " exists already");
                }
                throw e;
            }
        });
        publish(site);
        return site.withRole(teams.roleIn(scope, team).orElse(Role.ADMIN).label());
    }

    /**
     * Changes a site's name, time zone and privacy settings: {@code excluded_ips} (CIDRs), {@code excluded_paths} (globs),
     * {@code honour_dnt} and {@code retention_days} (0: forever); and {@code umami_website_id} (a UUID) and
     * {@code goatcounter_code} (GoatCounter's site code), both validated by the HTTP face, empty for none, each unique
     * among all sites. A field left out keeps its value. Another user's site is a 404.
     */
    Site update(Scope scope, int siteId, JsonNode changes) {
        Site current = get(scope, siteId, Access.Action.CHANGE_SITE);
        String name = changes.hasNonNull("name") ? label(changes.get("name").asText()) : current.name();
        String zone = changes.hasNonNull("timezone") ? zone(changes.get("timezone").asText()) : current.timezone();
        String excludedIps = current.excludedIps();
        String excludedPaths = current.excludedPaths();
        boolean honourDnt = current.honourDnt();
        String umamiWebsiteId = changes.hasNonNull("umami_website_id") ? changes.get("umami_website_id").asText()
                : current.umamiWebsiteId();
        String goatCounterCode = changes.hasNonNull("goatcounter_code") ? changes.get("goatcounter_code").asText()
                : current.goatcounterCode();
        try {
            if (changes.hasNonNull("excluded_ips")) {
                excludedIps = ClientAddress.Ranges.parse("excluded_ips", changes.get("excluded_ips").asText()).toString();
            }
            if (changes.hasNonNull("excluded_paths")) {
                excludedPaths = PathGlobs.parse("excluded_paths", changes.get("excluded_paths").asText()).toString();
            }
        } catch (HitKeepException e) {
            throw DomainError.invalid(e.getMessage());
        }
        if (changes.hasNonNull("honour_dnt")) {
            honourDnt = changes.get("honour_dnt").asBoolean();
        }
        // 0 (the HTTP face's reading of null) keeps every hit forever
        Integer retention = changes.has("retention_days") ? retentionDays(changes.get("retention_days").asInt())
                : current.retentionDays();
        String excluded = excludedIps;
        String paths = excludedPaths;
        boolean dnt = honourDnt;
        Site site = database.write("update site", sql -> {
            try {
                return sql.first(Query.UPDATE_SITE, Site::from, "excluded_ips", excluded, "excluded_paths", paths,
                        "honour_dnt", dnt, "name", name, "timezone", zone, "umami_website_id", umamiWebsiteId,
                        "goatcounter_code", goatCounterCode, "retention_days", retention,
                        "site_id", siteId)
                        .orElseThrow(() -> new SQLException("site " + siteId + " is gone"));
            } catch (SQLException e) {
                if (e.getMessage().contains("onstraint")) {
                    // the unique columns an update can change; the other site may be another team's, so unnamed
                    throw e.getMessage().contains("goatcounter_code")
                            ? DomainError.conflict("goatcounter_code: another site has this GoatCounter code")
                            : DomainError.conflict("umami_website_id: another site has this Umami website id");
                }
                throw e;
            }
        });
        publish(site);
        return site.withRole(current.role());
    }

    /**
     * Deletes a site with all its hits, events and engagement (owners only) and removes it from the
     * registry, so gateways drop its hits from then on.
     */
    DeletedSite delete(Scope scope, int siteId) {
        Site site = get(scope, siteId, Access.Action.DELETE_SITE);
        database.write("delete site", sql -> {
            for (Query delete : DELETE_SITE_IN_ORDER) {
                sql.update(delete, "site_id", siteId);
            }
            return null;
        });
        try {
            registry.delete(site.domain());
        } catch (IOException | JetStreamApiException e) {
            throw new HitKeepException("site deleted, but not from the registry: " + e.getMessage(), e);
        }
        return new DeletedSite(siteId, site.domain(), true);
    }

    private static String zone(String timezone) {
        try {
            return ZoneId.of(timezone.strip()).getId();
        } catch (DateTimeException e) {
            throw DomainError.invalid("timezone must be an IANA zone such as Europe/Berlin");
        }
    }

    /**
     * Days a site keeps its hits before whole months older than that are archived to Parquet; 0 is forever
     * (NULL). At least 31, so that the month in progress and the one before it are never archived.
     */
    private static Integer retentionDays(int days) {
        if (days == 0) {
            return null;
        }
        if (days < 31 || days > 36500) {
            throw DomainError.invalid("retention_days must be a number of days from 31 to 36500, or null to keep every hit");
        }
        return days;
    }

    private static String label(String name) {
        String label = name.strip();
        if (label.isEmpty() || label.length() > 200) {
            throw DomainError.invalid("name is required (at most 200 characters)");
        }
        return label;
    }

    /** Puts every site into the registry bucket, so gateways started before the writer see them. */
    void publishAll() {
        database.read(sql -> sql.list(Query.ALL_SITES, Site::from)).forEach(this::publish);
    }

    /** Puts the site, without a role, into the registry bucket. */
    private void publish(Site site) {
        try {
            registry.put(site.domain(), Json.bytes(site));
        } catch (IOException | JetStreamApiException e) {
            throw new HitKeepException("cannot publish site to the registry: " + e.getMessage(), e);
        }
    }
}
