package io.hitkeep.query;

import io.hitkeep.core.CountedInputStream;
import io.hitkeep.core.DomainError;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.io.InputStreamReader;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The files of an uploaded export, one after the other, as they stream in: a zip's entries (Plausible's
 * export, or a GoatCounter CSV zipped), a gzipped CSV (GoatCounter's download) or a plain CSV, told apart
 * by their first bytes. Nothing is held but the current file's read buffers. Limits against zip bombs
 * ({@link Limits}): a number of files, bytes unpacked in all, and a ratio of bytes unpacked to bytes
 * uploaded so far (real CSV packs 5 to 20 times; a bomb thousands). Not thread-safe.
 */
final class ExportArchive {
    /**
     * @param maxFiles         files in a zip
     * @param maxUnpackedBytes bytes of all files unpacked; more is a 413
     * @param maxRatio         unpacked bytes per uploaded byte, once past a few MB (a small file may pack very well)
     */
    record Limits(int maxFiles, long maxUnpackedBytes, int maxRatio) {
        static final Limits DEFAULT = new Limits(64, 1024L * 1024 * 1024, 100);
    }

    /** Unpacked bytes allowed before the ratio applies. */
    private static final long RATIO_SLACK_BYTES = 4L * 1024 * 1024;

    /** What is done with each file: its name and its text, already decoded as UTF-8. */
    @FunctionalInterface
    interface FileReader {
        void read(String name, java.io.Reader text) throws IOException;
    }

    enum Format { ZIP, GZIP, PLAIN }

    private final Counted uploaded;
    private final BufferedInputStream in;
    private final String uploadName;
    private final Limits limits;
    private long unpacked;

    /** {@code uploadName}: the uploaded file's name, for a CSV that is not in a zip. */
    ExportArchive(InputStream body, String uploadName) {
        this(body, uploadName, Limits.DEFAULT);
    }

    ExportArchive(InputStream body, String uploadName, Limits limits) {
        this.uploaded = new Counted(body);
        this.in = new BufferedInputStream(uploaded, 8192);
        this.uploadName = uploadName;
        this.limits = limits;
    }

    /** What the upload is, from its first bytes. */
    Format format() throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
            return Format.ZIP;
        }
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return Format.GZIP;
        }
        return Format.PLAIN;
    }

    /** Hands every file to {@code reader}, in the upload's order; directories and macOS's {@code __MACOSX/} are skipped. */
    void forEachFile(FileReader reader) {
        try {
            switch (format()) {
                case ZIP -> {
                    ZipEntries zip = new ZipEntries(in);
                    int files = 0;
                    for (var entry = zip.next(); entry.isPresent(); entry = zip.next()) {
                        String path = entry.get().name();
                        // every entry is unpacked through the limits, a skipped one too
                        InputStream file = new Unpacked(entry.get().content());
                        if (!entry.get().isDirectory() && !path.startsWith("__MACOSX/")) {
                            if (++files > limits.maxFiles()) {
                                throw DomainError.invalid("the zip holds more than " + limits.maxFiles() + " files");
                            }
                            String name = path.substring(path.lastIndexOf('/') + 1);
                            if (name.endsWith(".gz")) {
                                reader.read(name.substring(0, name.length() - 3), text(new Unpacked(new GZIPInputStream(entry.get().content()))));
                            } else {
                                reader.read(name, text(file));
                            }
                        }
                        file.transferTo(OutputStream.nullOutputStream());
                    }
                    if (files == 0) {
                        throw DomainError.invalid("the zip holds no files");
                    }
                }
                case GZIP -> reader.read(uploadName.endsWith(".gz") ? uploadName.substring(0, uploadName.length() - 3) : uploadName,
                        text(new Unpacked(new GZIPInputStream(in))));
                case PLAIN -> reader.read(uploadName, text(new Unpacked(in)));
            }
        } catch (ZipException e) {
            throw DomainError.invalid("the upload is not a readable zip or gzip file: " + e.getMessage());
        } catch (CharacterCodingException e) {
            throw DomainError.invalid("the export is not UTF-8 text");
        } catch (EOFException e) {
            throw DomainError.invalid("the upload ends in the middle of a file: it was cut short");
        } catch (IOException e) {
            throw DomainError.invalid("the upload could not be read: " + e.getMessage());
        }
    }

    /** UTF-8 that refuses malformed bytes instead of guessing: a binary file is not a CSV. */
    private static java.io.Reader text(InputStream file) {
        return new InputStreamReader(file, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /** Counts the bytes that came from the client. */
    private static final class Counted extends CountedInputStream {
        long count;

        Counted(InputStream in) {
            super(in);
        }

        @Override
        protected void counted(int bytes) {
            count += bytes;
        }
    }

    /** A file as unpacked: counted against the limits; closing it leaves the archive open for the next file. */
    private final class Unpacked extends CountedInputStream {
        Unpacked(InputStream in) {
            super(in);
        }

        @Override
        protected void counted(int bytes) {
            unpacked += bytes;
            if (unpacked > limits.maxUnpackedBytes()) {
                throw DomainError.tooLarge("the export unpacks to more than " + limits.maxUnpackedBytes() + " bytes");
            }
            if (unpacked > RATIO_SLACK_BYTES && unpacked > limits.maxRatio() * uploaded.count) {
                throw DomainError.invalid("the export unpacks to more than " + limits.maxRatio()
                        + " times its size: refused as a zip bomb");
            }
        }

        @Override
        public void close() {
            // the zip's next entry is read from the same stream
        }
    }
}
