package io.hitkeep.app;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.MethodPredicate;
import io.helidon.http.PathMatchers;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.StaticContentService;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The dashboard (module ui: an Angular app built into the classpath folder {@code io/hitkeep/ui}) at {@code /}.
 * Files the build names by content hash are cached for a year; everything else, index.html above all,
 * is revalidated. A deep link to one of the app's own routes ({@link #APP_ROUTES}: /sites/3?range=30d)
 * gets index.html, so the app's router can show it; any other unknown path stays a JSON 404. The hashed
 * scripts and stylesheets go gzipped to a browser that accepts it: a dashboard's first visit then fetches
 * about 270 kB of them instead of 1 MB. Each is compressed once, at its first such request, and kept; only that
 * copy stays in memory (330 kB for all), and a client that takes no gzip gets the file read from the jar again.
 */
final class Dashboard implements HttpFeature {
    static final String ROOT = "io/hitkeep/ui";
    /** paths that are never the app's */
    private static final List<String> NOT_UI = List.of("/api", "/ingest", "/hk.js", "/healthz", "/readyz", "/metrics");
    /** the Angular router's paths besides / (ui/src/app/app.routes.ts): keep the two in step */
    private static final List<String> APP_ROUTES = List.of("/sites", "/settings", "/share", "/invite", "/reset-password", "/docs");
    /** chunk-K5U6HBD5.js, main-Z5HERTPD.js, styles-MR46HCYB.css: Angular's output hashing */
    private static final Pattern HASHED = Pattern.compile(".*-[A-Z0-9]{8}\\.(js|css|woff2?|ttf|svg|png)$");
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String REVALIDATE = "no-cache";
    /** The hashed files worth compressing, by extension, with their content types; images are compressed already. */
    private static final Map<String, String> COMPRESSIBLE = Map.of("js", "text/javascript", "css", "text/css", "svg", "image/svg+xml");

    private final byte[] index;
    /** The app's files, relative to {@link #ROOT}. */
    private final Set<String> files;
    private final Map<String, byte[]> gzipped = new ConcurrentHashMap<>();

    Dashboard(byte[] index, List<String> files) {
        this.index = index;
        this.files = Set.copyOf(files);
    }

    /** The dashboard when the ui module is on the classpath. */
    static Optional<Dashboard> load() {
        try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(ROOT + "/index.html")) {
            return in == null ? Optional.empty() : Optional.of(new Dashboard(in.readAllBytes(), files()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The app's files (about forty, 1.3 MB), relative to {@link #ROOT}. Served from memory or by
     * {@link #gzipped}: from a jar, Helidon's static content would otherwise copy each file it serves into a
     * temporary file, and leave it there.
     */
    private static List<String> files() throws IOException {
        URL root = Dashboard.class.getClassLoader().getResource(ROOT + "/index.html");
        try {
            URI uri = root.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return list(jar.getPath("/" + ROOT));
                }
            }
            return list(Path.of(uri).getParent());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static List<String> list(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile)
                    .map(path -> folder.relativize(path).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    static boolean isUiPath(String path) {
        for (String prefix : NOT_UI) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return false;
            }
        }
        return true;
    }

    static boolean isAppRoute(String path) {
        for (String route : APP_ROUTES) {
            if (path.equals(route) || path.startsWith(route + "/")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void setup(HttpRouting.Builder routing) {
        MethodPredicate reads = Method.predicate(Method.GET, Method.HEAD);
        routing.route(reads, PathMatchers.any(), this::cacheControl)
                .route(reads, PathMatchers.any(), this::gzipped)
                .register("/", staticContent())
                .route(reads, PathMatchers.any(), this::deepLink);
    }

    /**
     * Helidon's static content, holding in memory the files {@link #gzipped} does not serve: index.html, the
     * images, the licences (40 kB). The scripts and stylesheets (1.3 MB unpacked) would sit there for good, next to
     * their gzipped copies, for the rare client that takes no gzip.
     */
    private StaticContentService staticContent() {
        var builder = StaticContentService.builder(ROOT).welcomeFileName("index.html");
        files.stream().filter(file -> compressible("/" + file) == null).forEach(builder::addCacheInMemory);
        return builder.build();
    }

    private void cacheControl(ServerRequest request, ServerResponse response) {
        String path = request.path().path();
        if (isUiPath(path)) {
            response.header(HeaderNames.CACHE_CONTROL, HASHED.matcher(path).matches() ? IMMUTABLE : REVALIDATE);
            if (compressible(path) != null) {
                // a cache between must not hand the gzipped copy to a client that did not ask for it, nor the reverse
                response.header(HeaderNames.VARY, "Accept-Encoding");
            }
        }
        response.next();
    }

    /**
     * A hashed script, stylesheet or SVG of the app: gzipped to a client that accepts gzip, else as it is in the
     * jar. Anything else goes on to the static content.
     */
    private void gzipped(ServerRequest request, ServerResponse response) {
        String path = request.path().path();
        String type = compressible(path);
        String file = path.substring(1);
        if (type == null || !files.contains(file)) {
            response.next();
            return;
        }
        response.header(HeaderNames.CONTENT_TYPE, type);
        if (acceptsGzip(request.headers().value(HeaderNames.ACCEPT_ENCODING).orElse(""))) {
            response.header(HeaderNames.CONTENT_ENCODING, "gzip");
            response.status(Status.OK_200).send(gzipped.computeIfAbsent(file, Dashboard::gzip));
        } else {
            response.status(Status.OK_200).send(plain(file));
        }
    }

    private static byte[] plain(String file) {
        try (InputStream in = resource(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String file) {
        InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(ROOT + "/" + file);
        if (in == null) {
            throw new IllegalStateException("the app's file " + file + " is not on the classpath");
        }
        return in;
    }

    /** The content type of a hashed file worth compressing, or null. */
    private static String compressible(String path) {
        if (!HASHED.matcher(path).matches()) {
            return null;
        }
        return COMPRESSIBLE.get(path.substring(path.lastIndexOf('.') + 1));
    }

    /**
     * Whether an Accept-Encoding header takes gzip: named, or else covered by {@code *}, without {@code q=0}
     * (RFC 9110, 12.5.3).
     */
    static boolean acceptsGzip(String acceptEncoding) {
        boolean anyTaken = false;
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.split(";");
            String name = parts[0].strip().toLowerCase(Locale.ROOT);
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                refused |= parts[i].replace(" ", "").matches("(?i)q=0(\\.0*)?");
            }
            if (name.equals("gzip")) {
                return !refused;
            }
            anyTaken |= name.equals("*") && !refused;
        }
        return anyTaken;
    }

    private static byte[] gzip(String file) {
        try (InputStream in = resource(file)) {
            var bytes = new ByteArrayOutputStream();
            try (var gzip = new GZIPOutputStream(bytes) {
                {
                    def.setLevel(Deflater.BEST_COMPRESSION);
                }
            }) {
                in.transferTo(gzip);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deepLink(ServerRequest request, ServerResponse response) {
        String path = request.path().path();
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (!isAppRoute(path) || last.contains(".")) {
            response.next();
            return;
        }
        response.header(HeaderNames.CACHE_CONTROL, REVALIDATE);
        response.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        response.status(Status.OK_200).send(index);
    }
}
