package io.hitkeep.app;

import io.hitkeep.testing.HttpSession;
import io.hitkeep.core.Settings;
import io.hitkeep.testing.TempFiles;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.Map;

/**
 * The single binary in this JVM for one test class: embedded nats-server, a fresh DuckDB file, a free
 * port, and an owner already signed in. {@code @RegisterExtension static SingleBinary server = new SingleBinary();}
 */
final class SingleBinary implements BeforeAllCallback, AfterAllCallback {
    private Path data;
    private HitKeep hitKeep;
    private HttpSession owner;
    private final Map<String, String> extraSettings;

    SingleBinary() {
        this(Map.of());
    }

    /** With settings on top of the test defaults (e.g. a known JWT secret, higher rate limits). */
    SingleBinary(Map<String, String> extraSettings) {
        this.extraSettings = Map.copyOf(extraSettings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        data = TempFiles.directory("hk-app-");
        // short batch wait: tests poll the stats until hits land
        Map<String, String> settings = new java.util.HashMap<>(Map.of(Settings.DATA_PATH, data.toString(),
                Settings.HTTP_PORT, "0", "batch-wait", "20ms"));
        settings.putAll(extraSettings);
        hitKeep = HitKeep.start(Settings.of(settings));
        owner = new HttpSession(hitKeep.port()).signIn("owner@example.com", "correct horse battery");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        hitKeep.close();
        TempFiles.deleteTree(data);
    }

    int port() {
        return hitKeep.port();
    }

    HitKeep hitKeep() {
        return hitKeep;
    }

    /** A session of the first user, signed in with the session cookie. */
    HttpSession owner() {
        return owner;
    }
}
