package io.hitkeep.app.cli;

import io.hitkeep.core.Scope;
import io.hitkeep.reports.backup.DurableFiles;
import io.hitkeep.reports.export.ExportPages;
import io.hitkeep.reports.export.ExportRequest;
import io.hitkeep.reports.export.ExportWalk;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code export}: a site's raw pageviews and events as the API's export gives them, to a file or standard output,
 * as the operator (no account needed). A file appears under its name only when complete.
 */
final class ExportCommand implements Cli.Command {
    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return """
                write a site's raw pageviews and events (what is stored: no IP address, no user agent)
                Dates are local days in the site's time zone, at most ten years. Without --out the rows go to
                standard output.""";
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("site!", "the site's id");
        options.put("from!", "first day, YYYY-MM-DD");
        options.put("to!", "last day, YYYY-MM-DD");
        options.put("format", "csv (default), ndjson or parquet");
        options.put("out", "file to write (made complete under a temporary name, then renamed)");
        return options;
    }

    @Override
    public int run(Cli.Arguments arguments, PrintStream out, PrintStream err) throws IOException {
        int site;
        try {
            site = Integer.parseInt(arguments.required("site"));
        } catch (NumberFormatException e) {
            throw new Cli.UsageException("--site must be a site's id (a number)");
        }
        ExportRequest request;
        try {
            request = ExportRequest.parse(site, arguments.option("from"), arguments.option("to"), arguments.option("format"));
        } catch (io.hitkeep.core.DomainError e) {
            throw new Cli.UsageException(e.getMessage());
        }
        try (Installation installation = Installation.reach(arguments.settings())) {
            ExportWalk walk = ExportWalk.start(installation.store(), ExportPages.OPERATOR_PAGE, Scope.user(0), request);
            Optional<Path> file = arguments.option("out").map(Path::of);
            if (file.isEmpty()) {
                long rows = walk.writeTo(out);
                out.flush();
                err.println(rows + " rows");
                return 0;
            }
            Path target = file.get().toAbsolutePath();
            Path partial = target.resolveSibling("." + target.getFileName() + ".partial");
            try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(partial))) {
                long rows = walk.writeTo(stream);
                stream.flush();
                err.println(rows + " rows to " + target);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
            DurableFiles.force(partial);
            DurableFiles.publish(partial, target);
        }
        return 0;
    }
}
