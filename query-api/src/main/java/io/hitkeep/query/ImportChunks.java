package io.hitkeep.query;

import io.hitkeep.core.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of an import on their way to the writer: gathered until they make about {@link #CHUNK_BYTES}
 * of JSON, then sent together (by {@link ImportUpload}: as one {@link Imports#APPEND}). A chunk stays well under NATS's default message limit
 * (1 MB; a split deployment's servers keep it), whatever the size of the export. Not thread-safe.
 */
final class ImportChunks {
    /** A quarter of NATS's default max_payload: room for the request's envelope and a long last row. */
    static final int CHUNK_BYTES = 256 * 1024;

    /** Where a chunk goes. */
    @FunctionalInterface
    interface Sender {
        void send(List<Imports.Day> days, List<Imports.ListRow> lists, List<Imports.Pageview> pageviews);
    }

    private final Sender sender;
    private final int chunkBytes;
    private final List<Imports.Day> days = new ArrayList<>();
    private final List<Imports.ListRow> lists = new ArrayList<>();
    private final List<Imports.Pageview> pageviews = new ArrayList<>();
    private long bytes;
    private long rows;
    private int chunks;

    ImportChunks(Sender sender, int chunkBytes) {
        this.sender = sender;
        this.chunkBytes = chunkBytes;
    }

    void add(Imports.Day day) {
        days.add(day);
        added(day);
    }

    void add(Imports.ListRow row) {
        lists.add(row);
        added(row);
    }

    void add(Imports.Pageview pageview) {
        pageviews.add(pageview);
        added(pageview);
    }

    private void added(Object row) {
        rows++;
        // measured as it is sent: a value full of characters that JSON escapes takes several bytes each
        bytes += Json.bytes(row).length + 1;
        if (bytes >= chunkBytes) {
            flush();
        }
    }

    /** Sends what is gathered, if anything. */
    void flush() {
        if (days.isEmpty() && lists.isEmpty() && pageviews.isEmpty()) {
            return;
        }
        sender.send(List.copyOf(days), List.copyOf(lists), List.copyOf(pageviews));
        chunks++;
        days.clear();
        lists.clear();
        pageviews.clear();
        bytes = 0;
    }

    /** Rows taken so far. */
    long rows() {
        return rows;
    }

    /** Chunks sent so far. */
    int chunks() {
        return chunks;
    }
}
