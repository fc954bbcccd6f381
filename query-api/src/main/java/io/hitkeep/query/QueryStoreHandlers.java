package io.hitkeep.query;

import io.hitkeep.auth.Access;
import io.hitkeep.auth.Teams;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.StoreHandlers;
import io.hitkeep.writer.StoreRegistry;
import io.hitkeep.writer.WriteProgress;

import java.time.ZoneId;
import java.util.Optional;

/**
 * The stats domain as the writer hosts it: sites (mirrored into the gateways' registry), share links,
 * goals, annotations, funnels, imports and the stats queries, one registration per operation. Found by the writer through {@code META-INF/services}.
 */
public final class QueryStoreHandlers implements StoreHandlers {
    @Override
    public void register(StoreRegistry registry) {
        Database database = registry.database();
        // the reads of hits count every hit ingest accepted before them (a 202), though the writer may still hold it
        WriteProgress written = registry.writeProgress();
        Sites sites = new Sites(database, registry.nats(), new Teams(database));
        ShareLinks shareLinks = new ShareLinks(database, sites);
        // HITKEEP_ROLLUPS=off: every range from the raw hits (a comparison, or a problem with the rollups)
        Optional<Rollups> rollups = registry.settings().value("rollups", "on").equals("off") ? Optional.empty()
                : Optional.of(Rollups.start(database, registry.settings()));
        rollups.ifPresent(registry::closeWith);
        // the same limit for exact answers on both paths: above it, the rollups' visitors or the raw lists' are estimated
        // (with the rollups off, a comparison, every figure is counted)
        int exactRows = registry.settings().intValue("rollup-exact-rows", RollupAnswers.EXACT_ROWS);
        Stats stats = new Stats(database, rollups.map(roller -> new RollupAnswers(roller, exactRows,
                registry.settings().intValue("rollup-catchup-raw-rows", RollupAnswers.CATCHUP_RAW_ROWS))),
                rollups.isPresent() ? exactRows : Long.MAX_VALUE);
        Goals goals = new Goals(database, sites);
        Annotations annotations = new Annotations(database, sites);
        Funnels funnels = new Funnels(database, sites);
        Imports imports = new Imports(database, sites);
        ImportedStats imported = new ImportedStats(database);
        // an upload that died while this writer was down left its import loading
        imports.deleteAbandoned();
        // gateways started before this writer learn every site
        sites.publishAll();

        registry.handle(Sites.LIST, caller -> sites.list(caller.scope()))
                .handle(Sites.GET, site -> sites.get(site.scope(), site.siteId(), Access.Action.READ_SITE))
                .handle(Sites.CREATE, site -> sites.create(site.scope(), site.teamId(), site.domain(), site.name(), site.timezone()))
                .handle(Sites.UPDATE, change -> sites.update(change.scope(), change.siteId(), change.changes()))
                .handle(Sites.DELETE, site -> sites.delete(site.scope(), site.siteId()));

        registry.handle(ShareLinks.CREATE, link -> shareLinks.create(link.scope(), link.siteId(), link.label(), link.tokenHash(),
                        link.passwordHash()))
                .handle(ShareLinks.LIST, site -> shareLinks.list(site.scope(), site.siteId()))
                .handle(ShareLinks.REVOKE, link -> shareLinks.revoke(link.scope(), link.siteId(), link.linkId()))
                .handle(ShareLinks.FIND, link -> shareLinks.find(link.tokenHash()));

        registry.handle(Goals.CREATE, goals::create)
                .handle(Goals.LIST, site -> goals.list(site.scope(), site.siteId()))
                .handle(Goals.DELETE, goal -> goals.delete(goal.scope(), goal.siteId(), goal.goalId()));

        registry.handle(Annotations.CREATE, annotations::create)
                .handle(Annotations.LIST, annotations::list)
                .handle(Annotations.DELETE, annotation -> annotations.delete(annotation.scope(), annotation.siteId(),
                        annotation.annotationId()));

        registry.handle(Funnels.CREATE, funnels::create)
                .handle(Funnels.LIST, site -> funnels.list(site.scope(), site.siteId()))
                .handle(Funnels.REPORT, report -> {
                    written.awaitAccepted();
                    return funnels.report(report);
                })
                .handle(Funnels.DELETE, funnel -> funnels.delete(funnel.scope(), funnel.siteId(), funnel.funnelId()));

        registry.handle(Imports.BEGIN, imports::begin)
                .handle(Imports.APPEND, imports::append)
                .handle(Imports.FINISH, imports::finish)
                .handle(Imports.LIST, site -> imports.list(site.scope(), site.siteId()))
                .handle(Imports.DELETE, ref -> imports.delete(ref.scope(), ref.siteId(), ref.importId()));

        // imported data is added to the finished answer, apart from the stats' own queries
        // the site and the caller's rights are read while the writer commits the hits accepted before the read
        registry.handle(Stats.QUERY, query -> {
                    Sites.Site site = written.awaitAcceptedWhile(() -> sites.get(query.scope(), query.request().siteId(),
                            Access.Action.READ_SITE));
                    return imported.addTo(stats.answer(query.request(), ZoneId.of(site.timezone())), query.request());
                })
                .handle(Stats.SHARED, query -> {
                    ShareLinks.SharedSite link = written.awaitAcceptedWhile(() -> shareLinks.find(query.tokenHash()));
                    StatsRequest request = query.request().forSite(link.siteId());
                    return imported.addTo(stats.answer(request, ZoneId.of(link.timezone())), request);
                })
                .handle(Rollups.REBUILD, site -> {
                    int siteId = sites.get(site.scope(), site.siteId(), Access.Action.CHANGE_SITE).id();
                    return new Rollups.Rebuilding(siteId, rollupsOrRefusal(rollups).rebuild(siteId));
                })
                .handle(Stats.LIVE, site -> stats.live(written.awaitAcceptedWhile(() -> sites.get(site.scope(), site.siteId(),
                        Access.Action.READ_SITE)).id()));
    }

    private static Rollups rollupsOrRefusal(Optional<Rollups> rollups) {
        return rollups.orElseThrow(() -> io.hitkeep.core.DomainError.invalid("rollups are off on this server (HITKEEP_ROLLUPS=off)"));
    }
}
