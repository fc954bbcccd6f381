package io.hitkeep.app;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The routes a routing function registers, as {@code "GET /api/sites/{id}"}: it is handed a routing builder
 * that builds nothing but notes every route, following services into their mount paths and features into
 * their setup. Helidon keeps no list of its routes that could be asked, so this is how a test learns them.
 * A route given in a form without a method and path pattern (a predicate, a matcher, a prebuilt route) is
 * noted as {@code UNREADABLE ...}, so a test comparing lists fails rather than missing it. Not thread-safe.
 */
final class RouteRecorder {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options", "trace", "any");

    private final Set<String> routes = new TreeSet<>();

    private RouteRecorder() {
    }

    /** Every route {@code routing} registers, sorted. */
    static Set<String> record(Consumer<HttpRouting.Builder> routing) {
        RouteRecorder recorder = new RouteRecorder();
        routing.accept(recorder.rules(""));
        return recorder.routes;
    }

    /** A routing builder (also the {@code HttpRules} a service gets) that notes routes under {@code prefix}. */
    private HttpRouting.Builder rules(String prefix) {
        InvocationHandler handler = (proxy, method, arguments) -> {
            Object[] args = arguments == null ? new Object[0] : arguments;
            String name = method.getName();
            switch (name) {
                case "toString" -> {
                    return "RouteRecorder(" + prefix + ")";
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "build" -> throw new UnsupportedOperationException("a recorder builds no routing");
                default -> {
                }
            }
            if (METHODS.contains(name)) {
                // get("/path", handlers...) or get(handlers...): the mount path itself
                String path = args.length > 0 && args[0] instanceof String pattern ? pattern : "";
                routes.add(name.toUpperCase(Locale.ROOT) + " " + join(prefix, path));
            } else if (name.equals("route")) {
                if (args.length == 3 && args[0] instanceof Method verb && args[1] instanceof String pattern) {
                    routes.add(verb.text() + " " + join(prefix, pattern));
                } else {
                    routes.add("UNREADABLE " + prefix + " " + List.of(args));
                }
            } else if (name.equals("register")) {
                String mount = args.length > 0 && args[0] instanceof String path ? join(prefix, path) : prefix;
                for (HttpService service : services(args)) {
                    service.routing(rules(mount));
                }
            } else if (name.equals("addFeature")) {
                HttpFeature feature = args[0] instanceof Supplier<?> supplier ? (HttpFeature) supplier.get() : (HttpFeature) args[0];
                feature.setup(rules(prefix));
            }
            // filters, error handlers, security and the like add no route
            return proxy;
        };
        return (HttpRouting.Builder) Proxy.newProxyInstance(RouteRecorder.class.getClassLoader(),
                new Class<?>[] {HttpRouting.Builder.class}, handler);
    }

    /** The services of any {@code register} overload: arrays, suppliers, or a list of suppliers. */
    private static List<HttpService> services(Object[] args) {
        List<HttpService> services = new ArrayList<>();
        for (Object arg : args) {
            if (arg instanceof HttpService[] array) {
                services.addAll(List.of(array));
            } else if (arg instanceof Supplier<?> supplier) {
                services.add((HttpService) supplier.get());
            } else if (arg instanceof List<?> list) {
                list.forEach(each -> services.add((HttpService) ((Supplier<?>) each).get()));
            }
        }
        return services;
    }

    /** A mount path and a route's pattern: {@code "/"} under {@code /api/sites} is {@code /api/sites} itself. */
    private static String join(String prefix, String path) {
        if (path.isEmpty() || path.equals("/")) {
            return prefix.isEmpty() ? "/" : prefix;
        }
        return prefix + (path.startsWith("/") ? path : "/" + path);
    }
}
