package io.hitkeep.query;

import io.hitkeep.core.DomainError;
import io.hitkeep.core.Scope;
import io.hitkeep.core.StoreClient;

import java.io.InputStream;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One upload of an export, where it arrives (the query role): begins an import at the writer, reads the
 * upload as it streams in (files of the archive, rows of each CSV, refused at the first bad line), sends
 * its rows in chunks, and finishes the import, which only then counts. Whatever goes wrong, the import and
 * every row of it already sent are deleted before the refusal goes back. Parsing here rather than in the
 * writer keeps the upload's bytes off NATS (a chunk is a few hundred KB of parsed rows; the zip could not
 * cross as one message) and the parsing work off the one process that writes. Not thread-safe.
 */
final class ImportUpload {
    private static final Logger LOG = Logger.getLogger(ImportUpload.class.getName());

    private final StoreClient store;
    private final Scope scope;
    private final int siteId;
    private final Imports.Source source;
    private final String fileName;
    private final int chunkBytes;

    ImportUpload(StoreClient store, Scope scope, int siteId, Imports.Source source, String fileName, int chunkBytes) {
        this.store = store;
        this.scope = scope;
        this.siteId = siteId;
        this.source = source;
        this.fileName = fileName;
        this.chunkBytes = chunkBytes;
    }

    /** Imports the body; answers the finished import. */
    Imports.Finished run(InputStream body) {
        int importId = store.call(Imports.BEGIN, new Imports.NewImport(scope, siteId, source.label(), fileName)).id();
        try {
            ImportChunks rows = new ImportChunks((days, lists, pageviews) -> store.call(Imports.APPEND,
                    new Imports.Chunk(scope, siteId, importId, days, lists, pageviews)), chunkBytes);
            ExportArchive archive = new ExportArchive(body, fileName);
            if (source == Imports.Source.PLAUSIBLE) {
                if (archive.format() != ExportArchive.Format.ZIP) {
                    throw DomainError.invalid("a Plausible export is the .zip file Plausible makes; this is no zip");
                }
                PlausibleExport export = new PlausibleExport(rows);
                archive.forEachFile(export::read);
                export.finish();
            } else {
                archive.forEachFile((name, text) -> GoatCounterExport.read(name, text, rows));
            }
            rows.flush();
            return store.call(Imports.FINISH, new Imports.ImportRef(scope, siteId, importId));
        } catch (java.io.IOException e) {
            forget(importId);
            throw DomainError.invalid("the upload could not be read: " + e.getMessage());
        } catch (RuntimeException e) {
            forget(importId);
            throw e;
        }
    }

    /** Deletes what arrived of a failed import; if even that fails, the writer deletes it once abandoned. */
    private void forget(int importId) {
        try {
            store.call(Imports.DELETE, new Imports.ImportRef(scope, siteId, importId));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not delete failed import " + importId + " (deleted later as abandoned): " + e.getMessage());
        }
    }
}
