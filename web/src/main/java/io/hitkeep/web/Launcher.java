package io.hitkeep.web;

import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Settings;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.HttpRouting;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every launcher (the single binary and each role's own {@code Main}) does the same way: log
 * format, the HTTP server, and an orderly stop on SIGTERM that closes what was started in reverse order.
 */
public final class Launcher {
    private static final Logger LOG = Logger.getLogger(Launcher.class.getName());
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    public Launcher() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n");
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("hitkeep-shutdown").unstarted(this::close));
    }

    /** Remembers something to close on shutdown; closed in reverse order of registration. */
    public <T extends AutoCloseable> T closeOnExit(T resource) {
        synchronized (started) {
            started.push(resource);
        }
        return resource;
    }

    /** What a role that runs on its own starts once its settings and broker connection are there. */
    @FunctionalInterface
    public interface Role {
        /** Starts the role's parts (each given to {@code launcher.closeOnExit}) and its HTTP server. */
        void start(Launcher launcher, Settings settings, io.nats.client.Connection nats);
    }

    /**
     * Runs a role on its own: settings from {@code args}, the broker at {@code HITKEEP_NATS_URL} (required),
     * then {@code role}; a start-up error ends the process with one line ({@link #fail}).
     */
    public static void runRole(String[] args, String connectionName, Role role) {
        try {
            Launcher launcher = new Launcher();
            Settings settings = Settings.load(args);
            io.nats.client.Connection nats = launcher.closeOnExit(
                    io.hitkeep.core.NatsConnector.connect(requiredNatsUrl(settings), connectionName));
            role.start(launcher, settings, nats);
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** The broker for a role that runs on its own: {@code HITKEEP_NATS_URL} is required. */
    public static String requiredNatsUrl(Settings settings) {
        return settings.natsUrl().orElseThrow(() -> new HitKeepException(
                "HITKEEP_NATS_URL is required to run a role on its own (e.g. nats://127.0.0.1:4222); "
                        + "the single binary (java -jar hitkeep.jar) starts its own broker"));
    }

    /** Starts the HTTP server on {@code http-port} with JSON error handling and the given routes. */
    public WebServer serve(Settings settings, Consumer<HttpRouting.Builder> routes) {
        WebServer server = WebServer.builder()
                .host(settings.value("http-host", "0.0.0.0"))
                .port(settings.httpPort())
                // Helidon 4.1's query validation refuses ':' and '/', which RFC 3986 allows in a query and
                // which every stats filter (filter=page:/about) contains. Paths are still parsed and normalised.
                .addProtocol(Http1Config.builder().validatePrologue(false).build())
                .routing(routing -> {
                    HttpJson.registerErrorHandlers(routing);
                    routing.addFilter(new SecurityHeaders());
                    routes.accept(routing);
                })
                .build()
                .start();
        closeOnExit(server::stop);
        LOG.info(() -> "HitKeep listening on http://localhost:" + server.port());
        return server;
    }

    /** Stops everything started, newest first. */
    public void close() {
        while (true) {
            AutoCloseable next;
            synchronized (started) {
                next = started.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "error while stopping", e);
            }
        }
    }

    /** Exits with a one-line message instead of a stack trace for start-up errors a user can fix. */
    public static void fail(Throwable error) {
        Logger.getLogger("hitkeep").log(Level.SEVERE, "HitKeep cannot start: " + error.getMessage(),
                error instanceof HitKeepException ? null : error);
        System.exit(1);
    }
}
