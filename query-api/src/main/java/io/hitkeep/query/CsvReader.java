package io.hitkeep.query;

import io.hitkeep.core.DomainError;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads CSV one record at a time from a stream, as Plausible (ClickHouse's CSVWithNames) and GoatCounter
 * (Go's encoding/csv) write it: fields separated by commas, optionally quoted with {@code "}, a quote inside
 * a quoted field doubled, line breaks inside quoted fields allowed, lines ending in LF or CRLF, blank lines
 * skipped. A record longer than {@link #MAX_RECORD_CHARS} is refused, so a file without line breaks (or a
 * zip bomb of zeros) cannot fill the heap. Errors name the file and the line the record starts on. Not
 * thread-safe.
 */
final class CsvReader {
    /** Longer than any real row of either export (a long URL and a title fit many times). */
    static final int MAX_RECORD_CHARS = 64 * 1024;
    static final int MAX_FIELDS = 64;

    private final Reader in;
    private final String file;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    /** The line the reader is on (1-based), and the line the last record began on. */
    private int line = 1;
    private int recordLine;

    CsvReader(Reader in, String file) {
        this.in = in;
        this.file = file;
    }

    /** The file's name, as errors show it. */
    String file() {
        return file;
    }

    /** The line the last record returned by {@link #next} began on. */
    int line() {
        return recordLine;
    }

    /** A refusal that names the file and the line of the last record. */
    DomainError error(String message) {
        return DomainError.invalid(file + " line " + recordLine + ": " + message);
    }

    /** The next record's fields, or empty at the end of the file. */
    Optional<List<String>> next() throws IOException {
        try {
            return record();
        } catch (CharacterCodingException e) {
            recordLine = line;
            throw error("the file is not UTF-8 text");
        }
    }

    private Optional<List<String>> record() throws IOException {
        int c = read();
        // blank lines between records are allowed
        while (c == '\n' || c == '\r') {
            c = read();
        }
        if (c < 0) {
            return Optional.empty();
        }
        recordLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int chars = 0;
        boolean quoted = false;
        boolean wasQuoted = false;
        while (true) {
            if (c < 0) {
                if (quoted) {
                    throw error("a quoted field is not closed before the end of the file");
                }
                fields.add(field.toString());
                return Optional.of(fields);
            }
            if (++chars > MAX_RECORD_CHARS) {
                throw error("the row is longer than " + MAX_RECORD_CHARS + " characters");
            }
            if (quoted) {
                if (c == '"') {
                    int after = read();
                    if (after == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        c = after;
                        continue;
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                if (fields.size() >= MAX_FIELDS) {
                    throw error("more than " + MAX_FIELDS + " fields");
                }
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    int after = read();
                    if (after >= 0 && after != '\n') {
                        unread();
                    }
                }
                fields.add(field.toString());
                return Optional.of(fields);
            } else if (wasQuoted) {
                throw error("text after a closing quote");
            } else {
                field.append((char) c);
            }
            c = read();
        }
    }

    private int read() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        char c = buffer[position++];
        // lines are counted by their LF (a CRLF's too); a lone CR ends a record but is not counted
        if (c == '\n') {
            line++;
        }
        return c;
    }

    private void unread() {
        position--;
        if (buffer[position] == '\n') {
            line--;
        }
    }
}
