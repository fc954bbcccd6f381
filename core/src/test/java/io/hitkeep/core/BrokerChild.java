package io.hitkeep.core;

import java.util.Map;

/**
 * A JVM that runs only an embedded broker, for tests that kill it: {@code BrokerChild <data path> <auto or shell>}
 * (how its server ends with it, see {@code BrokerSupervisor.WATCH_SETTING}). Prints
 * {@code ready} once the broker listens, then waits to be killed.
 */
public final class BrokerChild {
    private BrokerChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        BrokerSupervisor.start(Settings.of(Map.of(Settings.DATA_PATH, args[0], BrokerSupervisor.WATCH_SETTING, args[1])));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
