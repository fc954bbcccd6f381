package io.hitkeep.writer;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.Settings;
import io.hitkeep.core.StoreClient;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.core.StoreWire;
import io.nats.client.Connection;
import io.nats.service.Service;
import io.nats.service.ServiceEndpoint;
import io.nats.service.ServiceMessage;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers every store operation that the {@link StoreHandlers} on the class path register, as one NATS
 * micro-service ({@code hk.store.<operation>}). Each request runs on its own virtual thread, so a slow stats
 * query does not hold up a sign-in. A handler's {@link DomainError} goes back as a refusal of its kind;
 * anything else is logged here and answered as an internal error. A client in the same process (the single
 * binary) calls the handlers directly ({@link StoreClient.LocalHost}), with the same answers. Thread-safe.
 */
public final class StoreHost implements AutoCloseable, StoreClient.LocalHost {
    private static final Logger LOG = Logger.getLogger(StoreHost.class.getName());

    private final Connection nats;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Service service;
    private final List<AutoCloseable> background;
    private final Map<String, StoreRegistry.Entry<?, ?>> entries;
    private volatile boolean answering = true;

    private StoreHost(Connection nats, StoreRegistry registry) {
        this.nats = nats;
        this.background = List.copyOf(registry.closeables());
        this.entries = Map.copyOf(registry.entries());
        var builder = Service.builder().connection(nats).name("hitkeep-store").version("2.0.0")
                .description("HitKeep writer: every domain's store operations");
        for (StoreRegistry.Entry<?, ?> entry : registry.entries().values()) {
            builder.addServiceEndpoint(ServiceEndpoint.builder()
                    .endpointName(entry.operation().name().replace('.', '-'))
                    .endpointSubject(entry.operation().subject())
                    .handler(message -> workers.execute(() -> answer(message, entry)))
                    .build());
        }
        this.service = builder.build();
    }

    /** Registers the handlers of every domain found on the class path and starts answering. */
    static StoreHost start(Connection nats, Database database, Settings settings, WriteProgress progress) {
        return start(nats, database, settings, progress,
                ServiceLoader.load(StoreHandlers.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    static StoreHost start(Connection nats, Database database, Settings settings, WriteProgress progress,
                           List<StoreHandlers> domains) {
        StoreRegistry registry = new StoreRegistry(database, nats, settings, progress);
        domains.forEach(domain -> domain.register(registry));
        LOG.fine(() -> "store operations: " + registry.entries().keySet());
        StoreHost host = new StoreHost(nats, registry);
        host.service.startService();
        return host;
    }

    private <Q> void answer(ServiceMessage message, StoreRegistry.Entry<Q, ?> entry) {
        byte[] reply;
        try {
            Q request = StoreWire.readRequest(entry.operation(), message.getData());
            reply = StoreWire.write(answer(entry, request));
        } catch (DomainError refusal) {
            reply = StoreWire.refusal(refusal);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, e, () -> "store operation " + entry.operation().name() + " failed");
            reply = StoreWire.refusal(new DomainError(DomainError.Kind.INTERNAL, "internal error"));
        }
        message.respond(nats, reply);
    }

    @Override
    public boolean answers(StoreOperation<?, ?> operation) {
        return answering && entries.containsKey(operation.name());
    }

    /** A caller in this process (the single binary's routes): the handler on the caller's thread, no broker between. */
    @Override
    @SuppressWarnings("unchecked")
    public <Q, R> R answer(StoreOperation<Q, R> operation, Q request) {
        StoreRegistry.Entry<Q, ?> entry = (StoreRegistry.Entry<Q, ?>) entries.get(operation.name());
        if (entry == null || !answering) {
            throw DomainError.unavailable("the store is not answering; try again shortly");
        }
        return operation.replyType().cast(answer(entry, request));
    }

    /** The handler's answer; a failure other than a refusal is logged here and refused as internal. */
    private static <Q> Object answer(StoreRegistry.Entry<Q, ?> entry, Q request) {
        try {
            return entry.answer(request);
        } catch (DomainError refusal) {
            throw refusal;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, e, () -> "store operation " + entry.operation().name() + " failed");
            throw new DomainError(DomainError.Kind.INTERNAL, "internal error");
        }
    }

    @Override
    public void close() {
        answering = false;
        service.stop();
        workers.close();
        for (AutoCloseable work : background) {
            try {
                work.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "stopping " + work + " failed", e);
            }
        }
    }
}
