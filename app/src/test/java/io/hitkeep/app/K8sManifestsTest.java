package io.hitkeep.app;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes manifests ({@code compose/k8s}) and the Compose stack ({@code compose/docker-compose.yml})
 * describe one deployment twice; this keeps them from drifting apart: role names, ports, the variables
 * each role gets, the NATS cluster's size and the stream's replicas, and the load balancer's routes.
 * Parsed with SnakeYAML, which helidon-config-yaml already brings.
 */
class K8sManifestsTest {
    private static final Path COMPOSE = Path.of("..", "compose");
    /** Values that must be the same in both; the rest (broker addresses, public URL, proxies) differ by design. */
    private static final List<String> SAME_VALUE = List.of("HITKEEP_ROLE", "HITKEEP_STREAM_REPLICAS", "HITKEEP_HTTP_PORT",
            "HITKEEP_DATA_PATH", "HITKEEP_INGEST_RATE_LIMIT", "HITKEEP_API_RATE_LIMIT", "JAVA_TOOL_OPTIONS");

    private static Map<String, Object> composeServices;
    private static List<Map<String, Object>> manifests;

    @BeforeAll
    static void load() throws IOException {
        composeServices = map(yaml(COMPOSE.resolve("docker-compose.yml")).getFirst(), "services");
        manifests = new ArrayList<>();
        try (Stream<Path> files = Files.list(COMPOSE.resolve("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                manifests.addAll(yaml(file));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // compose service, k8s workload kind and name, role
            "gateway, Deployment, gateway, gateway",
            "query, Deployment, query, query",
            "reports, Deployment, reports, reports",
            "writer-1, StatefulSet, writer, writer",
    })
    void roleHasTheSameNameImagePortAndEnvironment(String service, String kind, String name, String role) {
        Map<String, String> composeEnv = composeEnvironment(service);
        Map<String, Object> container = onlyContainer(workload(kind, name));
        Map<String, String> k8sEnv = k8sEnvironment(container);

        assertEquals(role, composeEnv.get("HITKEEP_ROLE"));
        assertEquals(composeEnv.keySet(), k8sEnv.keySet(), "variables of " + service + " and " + kind + " " + name);
        for (String key : SAME_VALUE) {
            assertEquals(composeEnv.get(key), k8sEnv.get(key), key + " of " + service);
        }
        assertEquals(string(map(composeServices, service).get("image")), string(container.get("image")));

        int port = Integer.parseInt(composeEnv.get("HITKEEP_HTTP_PORT"));
        Map<String, Object> containerPort = list(container, "ports").stream().map(K8sManifestsTest::asMap)
                .filter(p -> "http".equals(p.get("name"))).findFirst().orElseThrow();
        assertEquals(port, containerPort.get("containerPort"));
        List<String> composeHealth = list(map(composeServices, service), "healthcheck", "test").stream().map(String::valueOf).toList();
        assertEquals(List.of("CMD", "/usr/local/bin/hk-health", Integer.toString(port), "/readyz"), composeHealth);
        assertEquals("/readyz", map(container, "readinessProbe", "httpGet").get("path"));

        Map<String, Object> serviceSpec = map(manifest("Service", name), "spec");
        assertEquals(Map.of("app", name), map(serviceSpec, "selector"));
        assertEquals(Map.of("app", name), map(workload(kind, name), "spec", "template", "metadata", "labels"));
        Map<String, Object> servicePort = asMap(list(serviceSpec, "ports").getFirst());
        assertEquals(port, servicePort.get("port"));
        assertEquals("http", servicePort.get("targetPort"));
    }

    @Test
    void natsClusterHasThreeNodesAndTheStreamThreeCopies() {
        List<String> composeNodes = composeServices.keySet().stream().filter(s -> s.matches("nats-\\d+")).sorted().toList();
        Map<String, Object> statefulSet = workload("StatefulSet", "nats");
        int replicas = (int) map(statefulSet, "spec").get("replicas");
        assertEquals(composeNodes.size(), replicas);
        assertEquals(3, replicas);
        assertEquals("None", map(manifest("Service", "nats"), "spec").get("clusterIP"), "a headless Service");
        assertEquals(Set.of(4222, 6222, 8222), list(map(manifest("Service", "nats"), "spec"), "ports").stream()
                .map(p -> asMap(p).get("port")).collect(Collectors.toSet()));

        for (String service : List.of("gateway", "query", "reports", "writer-1")) {
            Map<String, String> composeEnv = composeEnvironment(service);
            assertEquals(Integer.toString(replicas), composeEnv.get("HITKEEP_STREAM_REPLICAS"));
            assertEquals(composeNodes.stream().map(node -> "nats://" + node + ":4222").toList(),
                    List.of(composeEnv.get("HITKEEP_NATS_URL").split(",")), "every node of the cluster");
        }
        List<String> k8sUrls = List.of(k8sEnvironment(onlyContainer(workload("Deployment", "gateway")))
                .get("HITKEEP_NATS_URL").split(","));
        assertEquals(List.of("nats://nats-0.nats:4222", "nats://nats-1.nats:4222", "nats://nats-2.nats:4222"), k8sUrls);

        // the same server configuration apart from the route addresses
        String composeConf = read(COMPOSE.resolve("images/hitkeep/nats-cluster.conf"));
        String k8sConf = string(map(manifest("ConfigMap", "nats-config"), "data").get("nats.conf"));
        for (String setting : List.of("listen", "http", "store_dir", "max_file_store", "name", "server_name")) {
            assertEquals(settings(composeConf, setting), settings(k8sConf, setting), setting);
        }
        assertEquals(composeNodes.stream().map(node -> "nats-route://" + node + ":6222").toList(), routes(composeConf));
        assertEquals(List.of("nats-route://nats-0.nats:6222", "nats-route://nats-1.nats:6222", "nats-route://nats-2.nats:6222"),
                routes(k8sConf));
        assertEquals(1, map(manifest("PodDisruptionBudget", "nats"), "spec").get("maxUnavailable"), "quorum of two kept");
    }

    @Test
    void twoWritersFormOneGroupOnOneVolume() {
        List<String> composeWriters = composeServices.keySet().stream().filter(s -> s.matches("writer-\\d+")).sorted().toList();
        assertEquals(List.of("writer-1", "writer-2"), composeWriters);
        Map<String, Object> statefulSet = workload("StatefulSet", "writer");
        assertEquals(composeWriters.size(), map(statefulSet, "spec").get("replicas"));

        // every writer lists every writer as a peer, and binds to its own name
        for (String writer : composeWriters) {
            Map<String, String> environment = composeEnvironment(writer);
            assertEquals(composeWriters.stream().map(name -> name + ":7800").toList(),
                    List.of(environment.get("HITKEEP_WRITER_PEERS").split(",")), writer);
            assertEquals(writer + ":7800", environment.get("HITKEEP_WRITER_BIND"));
            assertFalse(asMap(composeServices.get(writer)).containsKey("profiles"), writer + " starts by default");
        }
        assertEquals(List.of("writer-0.writer:7800", "writer-1.writer:7800"),
                List.of(k8sEnvironment(onlyContainer(statefulSet)).get("HITKEEP_WRITER_PEERS").split(",")));

        // one data volume for both: DuckDB's lock on hitkeep.db fences a second leader; and one for the backups
        assertEquals(Set.of("writer:/data", "backups:/backups"), composeWriters.stream()
                .flatMap(writer -> list(map(composeServices, writer), "volumes").stream().map(String::valueOf))
                .collect(Collectors.toSet()));
        assertFalse(map(statefulSet, "spec").containsKey("volumeClaimTemplates"), "a claim per pod would be two databases");
        Map<String, Object> dataVolume = list(map(statefulSet, "spec", "template", "spec"), "volumes").stream()
                .map(K8sManifestsTest::asMap).filter(volume -> "data".equals(volume.get("name"))).findFirst().orElseThrow();
        assertEquals("writer-data", map(dataVolume, "persistentVolumeClaim").get("claimName"));
        assertEquals(List.of("ReadWriteMany"), list(map(manifest("PersistentVolumeClaim", "writer-data"), "spec"), "accessModes"));
        assertEquals(true, map(manifest("Service", "writer"), "spec").get("publishNotReadyAddresses"),
                "replicas find each other before they are ready");
    }

    @Test
    void gatewaysScaleAndStayAvailable() {
        Map<String, Object> gateway = map(composeServices, "gateway");
        assertFalse(gateway.containsKey("container_name"), "a fixed name would stop --scale");
        assertFalse(gateway.containsKey("ports"), "a host port would stop --scale");
        Map<String, Object> hpa = map(manifest("HorizontalPodAutoscaler", "gateway"), "spec");
        assertEquals(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", "gateway"), map(hpa, "scaleTargetRef"));
        assertTrue((int) hpa.get("maxReplicas") > (int) hpa.get("minReplicas"));
        assertEquals(Map.of("app", "gateway"), map(manifest("PodDisruptionBudget", "gateway"), "spec", "selector", "matchLabels"));
    }

    @Test
    void ingressRoutesLikeTheLoadBalancer() {
        String haproxy = read(COMPOSE.resolve("images/lb/haproxy.cfg"));
        Set<String> lbGatewayPaths = new TreeSet<>();
        Matcher acl = Pattern.compile("(?m)^\\s*acl tracker path(?:_beg)? (.+)$").matcher(haproxy);
        while (acl.find()) {
            for (String path : acl.group(1).trim().split("\\s+")) {
                lbGatewayPaths.add(path.replaceAll("/$", ""));
            }
        }
        assertTrue(haproxy.contains("server-template gateway 10 gateway:8080"));
        assertTrue(haproxy.contains("server-template query 4 query:8080"));

        Map<String, String> ingress = new TreeMap<>();
        for (Object rule : list(map(manifest("Ingress", "hitkeep"), "spec"), "rules")) {
            for (Object path : list(asMap(rule), "http", "paths")) {
                ingress.put(string(asMap(path).get("path")), string(map(asMap(path), "backend", "service").get("name")));
            }
        }
        Set<String> ingressGatewayPaths = ingress.entrySet().stream().filter(e -> e.getValue().equals("gateway"))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(lbGatewayPaths, ingressGatewayPaths);
        assertEquals("query", ingress.get("/"));
    }

    @Test
    void everyManifestIsInTheNamespaceAndRunsAsTheImageUser() {
        for (Map<String, Object> manifest : manifests) {
            if (!manifest.get("kind").equals("Namespace")) {
                assertEquals("hitkeep", map(manifest, "metadata").get("namespace"), string(map(manifest, "metadata").get("name")));
            }
            if (Set.of("Deployment", "StatefulSet").contains(manifest.get("kind"))) {
                Map<String, Object> security = map(manifest, "spec", "template", "spec", "securityContext");
                assertEquals(true, security.get("runAsNonRoot"));
                assertEquals(10001, security.get("runAsUser"), "the image's hitkeep user");
            }
        }
    }

    // --- reading

    private static List<Map<String, Object>> yaml(Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            List<Map<String, Object>> documents = new ArrayList<>();
            for (Object document : new Yaml().loadAll(reader)) {
                if (document != null) {
                    documents.add(asMap(document));
                }
            }
            return documents;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    /** A Compose service's environment with {@code ${VAR:-default}} replaced by its default. */
    private static Map<String, String> composeEnvironment(String service) {
        Map<String, String> environment = new TreeMap<>();
        map(map(composeServices, service), "environment").forEach((key, value) ->
                environment.put(key, string(value).replaceAll("\\$\\{[A-Z_]+:-([^}]*)}", "$1")));
        return environment;
    }

    private static Map<String, String> k8sEnvironment(Map<String, Object> container) {
        Map<String, String> environment = new TreeMap<>();
        for (Object source : list(container, "envFrom")) {
            String configMap = string(map(asMap(source), "configMapRef").get("name"));
            map(manifest("ConfigMap", configMap), "data").forEach((key, value) -> environment.put(key, string(value)));
        }
        for (Object variable : list(container, "env")) {
            Map<String, Object> entry = asMap(variable);
            environment.put(string(entry.get("name")), entry.containsKey("value") ? string(entry.get("value")) : "(from " + entry.get("valueFrom") + ")");
        }
        return environment;
    }

    private static Map<String, Object> workload(String kind, String name) {
        return manifest(kind, name);
    }

    private static Map<String, Object> manifest(String kind, String name) {
        return manifests.stream().filter(m -> kind.equals(m.get("kind")) && name.equals(map(m, "metadata").get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in compose/k8s"));
    }

    private static Map<String, Object> onlyContainer(Map<String, Object> workload) {
        List<Object> containers = list(map(workload, "spec", "template", "spec"), "containers");
        assertEquals(1, containers.size());
        return asMap(containers.getFirst());
    }

    private static List<String> settings(String conf, String key) {
        List<String> values = new ArrayList<>();
        Matcher matcher = Pattern.compile("(?m)^\\s*" + key + ":\\s*(\\S+)").matcher(conf);
        while (matcher.find()) {
            values.add(matcher.group(1));
        }
        assertFalse(values.isEmpty(), key);
        return values;
    }

    private static List<String> routes(String conf) {
        return Pattern.compile("nats-route://\\S+").matcher(conf).results().map(java.util.regex.MatchResult::group).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        assertNotNull(value);
        return new HashMap<>((Map<String, Object>) value);
    }

    private static Map<String, Object> map(Map<String, Object> root, String... path) {
        Object current = root;
        for (String key : path) {
            current = asMap(current).get(key);
            assertNotNull(current, "missing " + String.join(".", path));
        }
        return asMap(current);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> root, String... path) {
        Map<String, Object> parent = path.length == 1 ? root : map(root, java.util.Arrays.copyOf(path, path.length - 1));
        Object value = parent.get(path[path.length - 1]);
        assertNotNull(value, "missing " + String.join(".", path));
        return (List<Object>) value;
    }

    private static String string(Object value) {
        return String.valueOf(value);
    }
}
