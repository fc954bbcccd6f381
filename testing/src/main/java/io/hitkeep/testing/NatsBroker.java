package io.hitkeep.testing;

import io.hitkeep.core.BrokerSupervisor;
import io.hitkeep.core.NatsConnector;
import io.hitkeep.core.Settings;
import io.nats.client.Connection;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real nats-server with JetStream for one test class, in a temporary directory, started through the
 * same supervisor the single binary uses. Register it as a static field:
 * {@code @RegisterExtension static NatsBroker broker = new NatsBroker();}
 */
public final class NatsBroker implements BeforeAllCallback, AfterAllCallback {
    private Path directory;
    private BrokerSupervisor supervisor;
    private Connection connection;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        directory = Files.createTempDirectory("hk-nats-");
        supervisor = BrokerSupervisor.start(Settings.of(Map.of(Settings.DATA_PATH, directory.toString())));
        connection = NatsConnector.connect(supervisor.url(), "test");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (supervisor != null) {
            supervisor.close();
        }
        TempFiles.deleteTree(directory);
    }

    public String url() {
        return supervisor.url();
    }

    /** A connection the test may use; closed after the class. */
    public Connection connection() {
        return connection;
    }

    public BrokerSupervisor supervisor() {
        return supervisor;
    }
}
