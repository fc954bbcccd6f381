package io.hitkeep.web;

import io.hitkeep.core.CharRuns;
import io.hitkeep.core.HitKeepException;
import io.hitkeep.core.Settings;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every launcher (the single binary and each role's own {@code Main}) does the same way: log
 * format, the HTTP server with its connection limits, exit on {@link OutOfMemoryError}, and an orderly
 * stop on SIGTERM that closes what was started in reverse order.
 */
public final class Launcher {
    private static final Logger LOG = Logger.getLogger(Launcher.class.getName());
    /** File descriptors kept for everything but HTTP clients: the database, the broker connection, jars, logs. */
    private static final int RESERVED_FILE_DESCRIPTORS = 256;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    public Launcher() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n");
        }
        exitOnOutOfMemory();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("hitkeep-shutdown").unstarted(this::close));
    }

    /**
     * A JVM that ran out of memory once is not to be trusted: a thread that died of it (the listener, the
     * writer) stays dead while the process looks alive. Halting lets a supervisor start a fresh one. The
     * tuned JVM of the single binary also has {@code -XX:+ExitOnOutOfMemoryError}; this covers a JVM started
     * by hand or a role's own {@code Main}, for errors nobody caught.
     */
    static void exitOnOutOfMemory() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        if (previous instanceof HaltOnOutOfMemory) {
            return;
        }
        Thread.setDefaultUncaughtExceptionHandler(new HaltOnOutOfMemory(previous));
    }

    private record HaltOnOutOfMemory(Thread.UncaughtExceptionHandler previous) implements Thread.UncaughtExceptionHandler {
        @Override
        public void uncaughtException(Thread thread, Throwable error) {
            if (outOfMemory(error)) {
                // no logging framework, no allocation worth mentioning: the heap is gone
                System.err.println("HitKeep: out of memory in thread " + thread.getName() + "; exiting so that it can be restarted");
                Runtime.getRuntime().halt(3);
            }
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                error.printStackTrace();
            }
        }

        private static boolean outOfMemory(Throwable error) {
            for (Throwable cause = error; cause != null; cause = cause.getCause()) {
                if (cause instanceof OutOfMemoryError) {
                    return true;
                }
            }
            return false;
        }
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
    private static String requiredNatsUrl(Settings settings) {
        return settings.natsUrl().orElseThrow(() -> new HitKeepException(
                "HITKEEP_NATS_URL is required to run a role on its own (e.g. nats://127.0.0.1:4222); "
                        + "the single binary (java -jar hitkeep.jar) starts its own broker"));
    }

    /**
     * Starts the HTTP server on {@code http-port} with JSON error handling, the connection limits of
     * {@link HttpLimits} and the given routes.
     */
    public WebServer serve(Settings settings, Consumer<HttpRouting.Builder> routes) {
        HttpLimits limits = HttpLimits.of(settings);
        SlowClients slowClients = closeOnExit(new SlowClients(limits));
        WebServer server = WebServer.builder()
                .host(settings.value("http-host", "0.0.0.0"))
                .port(settings.httpPort())
                // HTTP/1.1 through our own selector, so that every connection is seen from its first moment
                .protocolsDiscoverServices(false)
                .addConnectionSelector(slowClients)
                .maxTcpConnections(limits.maxConnections())
                .maxConcurrentRequests(limits.maxConcurrentRequests())
                .maxPayloadSize(limits.maxPayload())
                .idleConnectionTimeout(limits.idleTimeout())
                // how often idle connections are looked for: a fraction of the timeout, at least every 5 s
                .idleConnectionPeriod(limits.idleTimeout().dividedBy(4).compareTo(Duration.ofSeconds(5)) < 0
                        ? limits.idleTimeout().dividedBy(4) : Duration.ofSeconds(5))
                .directHandlers(HttpJson.directHandlers())
                .routing(routing -> {
                    HttpJson.registerErrorHandlers(routing);
                    routing.addFilter(HttpJson::refuseMalformedTarget);
                    routing.addFilter(new SecurityHeaders());
                    routes.accept(routing);
                })
                .build()
                .start();
        closeOnExit(server::stop);
        LOG.info(() -> "HitKeep listening on http://localhost:" + server.port() + " (" + limits + ")");
        return server;
    }

    /**
     * How many clients the HTTP server holds, and for how long. The defaults keep a 2-core, 512 MB server
     * answering under tens of thousands of idle or slow connections: an open connection costs about 20 KB
     * of heap (Helidon's 8 KB read buffer, the virtual thread's stack) and a file descriptor, so their
     * number is capped by both, and the longest waiting ones are closed first when the cap comes near.
     *
     * @param idleTimeout           a connection with no request in progress is closed after this
     * @param readTimeout           a request's line and headers, and its body, must each arrive within this
     * @param maxConnections        connections open at once (also kept below the file descriptor limit)
     * @param maxConcurrentRequests requests in progress at once; more get a 503
     * @param maxHeaderSize         bytes of request headers
     * @param maxPayload            bytes of a request body; more get a 413
     */
    public record HttpLimits(Duration idleTimeout, Duration readTimeout, int maxConnections, int maxConcurrentRequests,
                             int maxHeaderSize, long maxPayload) {
        /** Heap per connection of the default limit: three times what one costs, so connections get a third of the heap. */
        private static final long HEAP_PER_CONNECTION = 64 * 1024;

        public static HttpLimits of(Settings settings) {
            int wantedConnections = settings.intValue(Settings.HTTP_MAX_CONNECTIONS, connectionsTheHeapAllows());
            int maxConnections = Math.min(wantedConnections, connectionsTheFileDescriptorsAllow());
            if (maxConnections < wantedConnections) {
                LOG.warning("only " + maxConnections + " HTTP connections at once instead of " + wantedConnections
                        + ": the process may open too few files (raise it with ulimit -n)");
            }
            HttpLimits limits = new HttpLimits(
                    settings.duration(Settings.HTTP_IDLE_TIMEOUT, Duration.ofSeconds(30)),
                    settings.duration(Settings.HTTP_READ_TIMEOUT, Duration.ofSeconds(10)),
                    maxConnections,
                    // HTTP/1.1 serves one request at a time per connection: by default the connection limit is the bound
                    settings.intValue(Settings.HTTP_MAX_CONCURRENT_REQUESTS, maxConnections),
                    (int) settings.byteSize(Settings.HTTP_MAX_HEADER_SIZE, 16 * 1024),
                    // the HTTP layer's cap must let an import's upload through; every route has its own smaller limit
                    Math.max(settings.byteSize(Settings.HTTP_MAX_PAYLOAD, 1024 * 1024),
                            settings.byteSize(Settings.IMPORT_MAX_BYTES, Settings.IMPORT_MAX_BYTES_DEFAULT)));
            if (limits.idleTimeout.isZero() || limits.idleTimeout.isNegative() || limits.readTimeout.isZero()
                    || limits.readTimeout.isNegative() || limits.maxConnections < 1 || limits.maxConcurrentRequests < 1
                    || limits.maxHeaderSize < 1024 || limits.maxPayload < 1024) {
                throw new HitKeepException("HTTP limits must be positive (headers and payload at least 1KB): " + limits);
            }
            return limits;
        }

        /** One connection per 64 KB of heap, 2,560 with the single binary's 160 MB, between 256 and 10,000. */
        static int connectionsTheHeapAllows() {
            return (int) Math.max(256, Math.min(10_000, Runtime.getRuntime().maxMemory() / HEAP_PER_CONNECTION));
        }

        private static int connectionsTheFileDescriptorsAllow() {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                long allowed = unix.getMaxFileDescriptorCount() - RESERVED_FILE_DESCRIPTORS;
                return (int) Math.max(16, Math.min(Integer.MAX_VALUE, allowed));
            }
            return Integer.MAX_VALUE;
        }

        @Override
        public String toString() {
            return "idle timeout " + idleTimeout.toMillis() + " ms, read timeout " + readTimeout.toMillis()
                    + " ms, at most " + maxConnections + " connections and " + maxConcurrentRequests
                    + " requests at once, headers up to " + maxHeaderSize + " bytes, bodies up to " + maxPayload + " bytes";
        }
    }

    /**
     * Bounds what slow and idle clients can hold, which Helidon 4.1 alone does not: it has no read timeout,
     * so a client that sends half its headers, a short body or {@code Content-Length: -1} keeps a connection
     * (and its memory) for good, and at its connection limit it stops accepting, so new clients, health
     * checks included, wait behind the idle ones. This selector sees every HTTP/1.1 connection from its
     * first moment and
     * <ul>
     *   <li>closes a connection whose request line and headers, or whose body, take longer than the read
     *       timeout (a body is timed while {@link HttpJson#body} reads it and while the server drains an
     *       unread one after the answer);</li>
     *   <li>refuses a {@code Content-Length} that is not a non-negative number before anything waits for it;</li>
     *   <li>when nine in ten connections of the limit are open, closes the connections that have waited
     *       longest for their client (idle between requests, or still receiving one) down to three in four,
     *       so the server keeps accepting; requests the server is working on are left alone.</li>
     * </ul>
     * Closing means interrupting the connection's virtual thread, which closes its socket. Thread-safe.
     */
    static final class SlowClients implements ServerConnectionSelector, Http1ConnectionListener, AutoCloseable {
        /** The connection the current (virtual) thread serves: Helidon runs each connection on a thread of its own. */
        private static final ThreadLocal<Tracked> CURRENT = new ThreadLocal<>();
        private static final Duration SWEEP_INTERVAL = Duration.ofMillis(200);

        private final ServerConnectionSelector http1;
        private final HttpLimits limits;
        private final Set<Tracked> open = ConcurrentHashMap.newKeySet();
        private final Thread sweeper;
        private volatile boolean running = true;

        SlowClients(HttpLimits limits) {
            Http1Config http1Config = Http1Config.builder()
                    // Helidon 4.1's query validation refuses ':' and '/', which RFC 3986 allows in a query and
                    // which every stats filter (filter=page:/about) contains. Paths are still parsed and normalised.
                    .validatePrologue(false)
                    .maxHeadersSize(limits.maxHeaderSize())
                    .addReceiveListener(this)
                    .addSendListener(this)
                    .build();
            this.http1 = Http1ConnectionSelector.builder().config(http1Config).build();
            this.limits = limits;
            this.sweeper = Thread.ofPlatform().daemon().name("hitkeep-slow-clients").start(this::sweep);
        }

        /** A connection as this class follows it; written by its own thread, read by the sweeper. */
        private static final class Tracked {
            final ServerConnection connection;
            final long readTimeoutNanos;
            /** When the client must have sent what the server waits for; 0 while it waits for nothing. */
            volatile long readDeadline;
            volatile boolean requestInProgress;
            volatile boolean requestHasBody;
            /** Since when the connection has been waiting for its client: open, idle, or receiving a request. */
            volatile long waitingSince = System.nanoTime();

            Tracked(ServerConnection connection, long readTimeoutNanos) {
                this.connection = connection;
                this.readTimeoutNanos = readTimeoutNanos;
            }
        }

        /** Times a body read by a handler: the client must send it within the read timeout. */
        static void bodyReadStarting() {
            Tracked tracked = CURRENT.get();
            if (tracked != null) {
                tracked.waitingSince = System.nanoTime();
                tracked.readDeadline = tracked.waitingSince + tracked.readTimeoutNanos;
            }
        }

        static void bodyReadFinished() {
            Tracked tracked = CURRENT.get();
            if (tracked != null) {
                tracked.readDeadline = 0;
            }
        }

        @Override
        public int bytesToIdentifyConnection() {
            return http1.bytesToIdentifyConnection();
        }

        @Override
        public Support supports(BufferData data) {
            return http1.supports(data);
        }

        @Override
        public Set<String> supportedApplicationProtocols() {
            return http1.supportedApplicationProtocols();
        }

        @Override
        public ServerConnection connection(ConnectionContext context) {
            Tracked tracked = new Tracked(http1.connection(context), limits.readTimeout().toNanos());
            open.add(tracked);
            if (open.size() > limits.maxConnections() * 9L / 10) {
                synchronized (this) {
                    notifyAll();
                }
            }
            return new GuardedConnection(tracked);
        }

        /** Helidon's HTTP/1.1 connection, made known to {@link #CURRENT} while it runs and forgotten when it ends. */
        private final class GuardedConnection implements ServerConnection {
            private final Tracked tracked;

            GuardedConnection(Tracked tracked) {
                this.tracked = tracked;
            }

            @Override
            public void handle(Limit limit) throws InterruptedException {
                CURRENT.set(tracked);
                try {
                    tracked.connection.handle(limit);
                } finally {
                    CURRENT.remove();
                    open.remove(tracked);
                }
            }

            @Override
            public Duration idleTime() {
                return tracked.connection.idleTime();
            }

            @Override
            public void close(boolean interrupt) {
                tracked.connection.close(interrupt);
            }
        }

        @Override
        public void prologue(ConnectionContext context, HttpPrologue prologue) {
            Tracked tracked = CURRENT.get();
            if (tracked != null) {
                tracked.requestInProgress = true;
                tracked.requestHasBody = false;
                tracked.waitingSince = System.nanoTime();
                tracked.readDeadline = tracked.waitingSince + tracked.readTimeoutNanos;
            }
        }

        @Override
        public void headers(ConnectionContext context, Headers headers) {
            Tracked tracked = CURRENT.get();
            if (tracked == null) {
                return; // the answer's headers: a send listener gets them too
            }
            if (tracked.requestInProgress && tracked.readDeadline != 0) {
                tracked.readDeadline = 0;
                tracked.requestHasBody = headers.contains(HeaderValues.TRANSFER_ENCODING_CHUNKED)
                        || headers.contains(HeaderNames.CONTENT_LENGTH) && !headers.contains(HeaderValues.CONTENT_LENGTH_ZERO);
                refuseBadContentLength(headers);
            }
        }

        /**
         * Helidon reads {@code Content-Length: -1} as "chunked" and waits for a chunk that never comes, and
         * answers a length that is no number in plain text: both are framing errors, refused here as such,
         * like a length beside {@code Transfer-Encoding: chunked} (RFC 9112 6.3: the way requests are smuggled).
         */
        private static void refuseBadContentLength(Headers headers) {
            if (!headers.contains(HeaderNames.CONTENT_LENGTH)) {
                return;
            }
            List<String> values = headers.all(HeaderNames.CONTENT_LENGTH, List::of);
            boolean valid = values.size() == 1 && isLength(values.getFirst().strip())
                    && !headers.contains(HeaderNames.TRANSFER_ENCODING);
            if (!valid) {
                throw RequestException.builder()
                        .type(DirectHandler.EventType.BAD_REQUEST)
                        .status(Status.BAD_REQUEST_400)
                        .setKeepAlive(false)
                        .message("Content-Length must be one non-negative number, without Transfer-Encoding")
                        .safeMessage(true)
                        .build();
            }
        }

        /** One to eighteen ASCII digits (a length that fits a long), checked for every request with a body. */
        static boolean isLength(String value) {
            return CharRuns.isRun(value, 1, 18, '0', '9');
        }

        @Override
        public void status(ConnectionContext context, Status status) {
            Tracked tracked = CURRENT.get();
            if (tracked == null) {
                return;
            }
            tracked.requestInProgress = false;
            tracked.waitingSince = System.nanoTime();
            // Helidon drains a body the handler left unread once the answer is out: time that too
            tracked.readDeadline = tracked.requestHasBody ? System.nanoTime() + tracked.readTimeoutNanos : 0;
        }

        private void sweep() {
            while (running) {
                try {
                    synchronized (this) {
                        wait(SWEEP_INTERVAL.toMillis());
                    }
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    closeSlowAndShed();
                } catch (RuntimeException e) {
                    // this thread must outlive any surprise, or slow clients would hold on for good
                    HttpJson.ERRORS.log(Level.SEVERE, "slow-clients", "slow-client sweep failed: " + e, e);
                }
            }
        }

        private void closeSlowAndShed() {
            long now = System.nanoTime();
            int tooSlow = 0;
            for (Tracked tracked : open) {
                long deadline = tracked.readDeadline;
                if (deadline != 0 && now - deadline > 0) {
                    tracked.readDeadline = 0;
                    tooSlow++;
                    tracked.connection.close(true);
                }
            }
            if (tooSlow > 0) {
                HttpJson.ERRORS.log(Level.INFO, "slow-client", "closed " + tooSlow
                        + " connection(s) whose request did not arrive within " + limits.readTimeout().toMillis() + " ms", null);
            }
            shedWaitingConnections();
        }

        private void shedWaitingConnections() {
            int count = open.size();
            if (count <= limits.maxConnections() * 9L / 10) {
                return;
            }
            int target = (int) (limits.maxConnections() * 3L / 4);
            // the connections change while they are looked at: sort a snapshot of when each began to wait
            record Waiting(Tracked tracked, long since) {
            }
            List<Waiting> waiting = new ArrayList<>();
            for (Tracked tracked : open) {
                if (!tracked.requestInProgress || tracked.readDeadline != 0) {
                    waiting.add(new Waiting(tracked, tracked.waitingSince));
                }
            }
            waiting.sort(Comparator.comparingLong(Waiting::since));
            int closed = 0;
            for (Waiting candidate : waiting) {
                if (count - closed <= target) {
                    break;
                }
                // an idle connection is closed gently (a request that arrives meanwhile is still answered),
                // one that is receiving a request at once
                candidate.tracked().connection.close(candidate.tracked().requestInProgress);
                closed++;
            }
            HttpJson.ERRORS.log(Level.WARNING, "connection-limit", count + " HTTP connections open, near the limit of "
                    + limits.maxConnections() + ": closed the " + closed + " that waited longest for their client", null);
        }

        @Override
        public void close() {
            running = false;
            sweeper.interrupt();
        }
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
