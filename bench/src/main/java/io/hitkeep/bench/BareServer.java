package io.hitkeep.bench;

import io.helidon.webserver.WebServer;

/**
 * The baseline for the ingest benchmark: a bare Helidon 4 WebServer that reads the body of
 * {@code POST /ingest} and answers 202, with no parsing, enrichment, broker or storage. Whatever
 * HitKeep's throughput loses against this server in the same run is the cost of HitKeep's own work,
 * not of Helidon, the JVM or the load generator sharing the machine.
 *
 * <p>Usage: {@code java -jar bench/target/bench.jar [port]} (default 8090). Stops on SIGTERM.
 */
public final class BareServer {
    private BareServer() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .routing(routing -> routing.post("/ingest", (request, response) -> {
                    // Drain the body so the connection can be reused, as a real handler would.
                    request.content().consume();
                    response.status(202).send();
                }))
                .build()
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "bare-server-stop"));
        System.out.println("BareServer listening on http://127.0.0.1:" + server.port());
    }
}
