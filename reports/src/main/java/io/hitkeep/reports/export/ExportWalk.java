package io.hitkeep.reports.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hitkeep.core.Scope;
import io.hitkeep.core.StoreClient;
import io.hitkeep.core.StoreOperation;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Walks an export's pages from the store into a format: pageviews, then events, each page asked for after the
 * previous one's last instant. {@link #start} fetches the first page at once, so that a refusal (no such site,
 * not allowed) is answered as an error before any byte of the download is sent. Not thread-safe.
 */
public final class ExportWalk {
    private final StoreClient store;
    private final StoreOperation<ExportPages.Page, ObjectNode> operation;
    private final Scope scope;
    private final ExportRequest request;
    private final ObjectNode first;
    private long rows;

    private ExportWalk(StoreClient store, StoreOperation<ExportPages.Page, ObjectNode> operation, Scope scope, ExportRequest request,
                       ObjectNode first) {
        this.store = store;
        this.operation = operation;
        this.scope = scope;
        this.request = request;
        this.first = first;
    }

    /** A caller's export ({@link ExportPages#PAGE}) or the operator's ({@link ExportPages#OPERATOR_PAGE}, with any scope). */
    public static ExportWalk start(StoreClient store, StoreOperation<ExportPages.Page, ObjectNode> operation, Scope scope,
                                   ExportRequest request) {
        ObjectNode first = store.call(operation, page(scope, request, ExportPages.Kind.PAGEVIEW, ""));
        return new ExportWalk(store, operation, scope, request, first);
    }

    /** Writes every row in the request's format; answers how many. */
    public long writeTo(OutputStream out) throws IOException {
        try (ExportFormat.RowSink sink = request.format().open(out)) {
            for (ExportPages.Kind kind : ExportPages.Kind.values()) {
                ObjectNode page = kind == ExportPages.Kind.PAGEVIEW ? first : store.call(operation, page(scope, request, kind, ""));
                while (true) {
                    sink.rows(page.get("rows"));
                    rows += page.get("rows").size();
                    if (!page.has("next")) {
                        break;
                    }
                    page = store.call(operation, page(scope, request, kind, page.get("next").asText()));
                }
            }
            sink.finish();
        }
        return rows;
    }

    private static ExportPages.Page page(Scope scope, ExportRequest request, ExportPages.Kind kind, String after) {
        return new ExportPages.Page(scope, request.siteId(), request.from().toString(), request.to().toString(), kind, after);
    }
}
