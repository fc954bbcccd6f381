package io.hitkeep.app;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.hitkeep.auth.AuthApi;
import io.hitkeep.core.BrokerSupervisor;
import io.hitkeep.core.HeapRelease;
import io.hitkeep.web.Launcher;
import io.hitkeep.core.NatsConnector;
import io.hitkeep.web.Observability;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.hitkeep.gateway.Gateway;
import io.hitkeep.query.QueryApi;
import io.hitkeep.reports.digest.ReportsApi;
import io.hitkeep.reports.jobs.Reports;
import io.hitkeep.reports.export.ExportApi;
import io.hitkeep.writer.Writer;
import io.nats.client.Connection;

import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The single binary: starts the embedded broker (unless {@code HITKEEP_NATS_URL} names one), then the
 * writer, the gateway, the scheduled jobs (mail, digests), the query API and auth in this JVM, all on one HTTP port. Stops in reverse order
 * on SIGTERM: HTTP first, then the gateway publishes what it holds, the writer commits its batch, and
 * the broker stops last.
 */
public final class HitKeep implements AutoCloseable {
    private final Launcher launcher;
    private final WebServer server;
    private final Writer writer;
    private final Consumer<HttpRouting.Builder> apiRoutes;
    private final Reports reports;
    private final StoreClient store;

    private HitKeep(Launcher launcher, WebServer server, Writer writer, Consumer<HttpRouting.Builder> apiRoutes, Reports reports,
            StoreClient store) {
        this.launcher = launcher;
        this.server = server;
        this.writer = writer;
        this.apiRoutes = apiRoutes;
        this.reports = reports;
        this.store = store;
    }

    public static void main(String[] args) {
        try {
            Settings settings = Settings.load(args);
            JvmTuning.tunedCommand(settings, args).ifPresent(command -> {
                String reason = Exec.replaceProcess(command, JvmTuning.environment(System.getenv()));
                Logger.getLogger(HitKeep.class.getName()).warning(
                        "running with the JVM's default memory settings (" + reason + "); pass -Xmx to choose");
            });
            start(settings);
        } catch (RuntimeException e) {
            Launcher.fail(e);
        }
    }

    public static HitKeep start(Settings settings) {
        Launcher launcher = new Launcher();
        try {
            String natsUrl;
            BrokerSupervisor broker = null;
            if (settings.natsUrl().isPresent()) {
                natsUrl = settings.natsUrl().get();
            } else {
                broker = launcher.closeOnExit(BrokerSupervisor.start(settings));
                natsUrl = broker.url();
            }
            Connection nats = launcher.closeOnExit(NatsConnector.connect(natsUrl, "hitkeep"));
            Writer writer = launcher.closeOnExit(Writer.start(settings, nats));
            Gateway gateway = launcher.closeOnExit(Gateway.start(settings, nats));
            // its own broker: this process always holds the scheduler's lease and runs the jobs
            Reports reports = launcher.closeOnExit(Reports.start(settings, nats));
            // the writer is in this process and always leads: its handlers are called without the broker's round trip
            StoreClient store = StoreClient.answeredHere(nats, writer.storeHost());
            Observability observability = Observability.withBroker(nats).detail("scheduler", reports::status);
            writer.reportAsSoleLeader(observability);
            Consumer<HttpRouting.Builder> routes = routing -> {
                routing.addFeature(observability);
                AuthApi.routing(routing, settings, store);
                gateway.routing(routing);
                QueryApi.routing(routing, settings, store);
                ReportsApi.routing(routing, settings, store);
                ExportApi.routing(routing, store);
            };
            Consumer<HttpRouting.Builder> withUi = Dashboard.load()
                    .<Consumer<HttpRouting.Builder>>map(dashboard -> routes.andThen(routing -> routing.addFeature(dashboard)))
                    // built without the ui module (an IDE run of this module alone): a plain page
                    .orElse(routes.andThen(routing -> routing.get("/", (request, response) -> response
                            .header(io.helidon.http.HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                            .send(LANDING))));
            WebServer server = launcher.serve(settings, withUi);
            HeapRelease.soon();  // the start-up's garbage (bot lists, parsers, migrations) is done with
            return new HitKeep(launcher, server, writer, routes, reports, store);
        } catch (RuntimeException e) {
            launcher.close();
            throw e;
        }
    }

    private static final String LANDING = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>HitKeep</title></head>
            <body><h1>HitKeep is running</h1><p>This build has no dashboard. The API is under <code>/api</code>; health at
            <a href="/readyz">/readyz</a>, metrics at <a href="/metrics">/metrics</a>.</p></body></html>
            """;

    public int port() {
        return server.port();
    }

    public Writer writer() {
        return writer;
    }

    /**
     * What this server's routing was built with, the dashboard left out: every route of the HTTP API. A test
     * replays it into a recorder to hold the OpenAPI document to the routes the server really has.
     */
    Consumer<HttpRouting.Builder> apiRoutes() {
        return apiRoutes;
    }

    /** The scheduled jobs (mail, digests) this process runs. */
    public Reports reports() {
        return reports;
    }

    /** The store client of this process's routes (tests run a job with a clock of their own through it). */
    StoreClient store() {
        return store;
    }

    @Override
    public void close() {
        launcher.close();
    }
}
