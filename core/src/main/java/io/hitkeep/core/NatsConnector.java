package io.hitkeep.core;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;

import java.io.IOException;
import java.time.Duration;
import java.util.logging.Logger;

/** Opens the client connection every role uses: reconnects forever, so a broker restart is survived. */
public final class NatsConnector {
    private static final Logger LOG = Logger.getLogger(NatsConnector.class.getName());

    private NatsConnector() {
    }

    public static Connection connect(String url, String name) {
        Options options = Options.builder()
                .server(url)
                .connectionName(name)
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(250))
                .connectionTimeout(Duration.ofSeconds(5))
                .connectionListener((connection, event) -> {
                    if (event == ConnectionListener.Events.DISCONNECTED || event == ConnectionListener.Events.RECONNECTED) {
                        LOG.info(() -> name + ": broker " + event.name().toLowerCase());
                    }
                })
                .build();
        // The broker may still be starting (split deployment): keep trying for a while.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return Nats.connect(options);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new HitKeepException("cannot connect to NATS at " + url + ": " + e.getMessage(), e);
                }
                LOG.info(() -> name + ": waiting for NATS at " + url);
                try {
                    Thread.sleep(500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new HitKeepException("interrupted while connecting to NATS", interrupted);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HitKeepException("interrupted while connecting to NATS", e);
            }
        }
    }
}
