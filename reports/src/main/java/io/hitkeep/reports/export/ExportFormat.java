package io.hitkeep.reports.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Json;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The formats an export is written in, each a {@link RowSink} over an output stream: CSV (RFC 4180, a header row),
 * NDJSON (one JSON object a line) and Parquet ({@link ParquetSink}, zstd). Rows arrive page by page; CSV and
 * NDJSON go out as they come, Parquet once complete (its footer needs every row group). Stateless.
 */
public enum ExportFormat {
    CSV("text/csv; charset=utf-8"), NDJSON("application/x-ndjson"), PARQUET("application/vnd.apache.parquet");

    private final String contentType;

    ExportFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    public static ExportFormat parse(String text) {
        for (ExportFormat format : values()) {
            if (format.name().toLowerCase(Locale.ROOT).equals(text.strip().toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        throw DomainError.invalid("format must be csv, ndjson or parquet");
    }

    /** Where an export's rows go. Not thread-safe. */
    public interface RowSink extends AutoCloseable {
        /** Rows as arrays in {@link ExportPages#COLUMNS} order. */
        void rows(JsonNode rows) throws IOException;

        /** Writes what remains; the output stream is left open. */
        void finish() throws IOException;

        @Override
        default void close() throws IOException {
        }
    }

    public RowSink open(OutputStream out) throws IOException {
        return switch (this) {
            case CSV -> new CsvSink(out);
            case NDJSON -> new NdjsonSink(out);
            case PARQUET -> new ParquetSink(out);
        };
    }

    private static final class CsvSink implements RowSink {
        private final Writer writer;

        CsvSink(OutputStream out) throws IOException {
            this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            writer.write(String.join(",", ExportPages.COLUMNS));
            writer.write("\r\n");
        }

        @Override
        public void rows(JsonNode rows) throws IOException {
            for (JsonNode row : rows) {
                for (int i = 0; i < row.size(); i++) {
                    if (i > 0) {
                        writer.write(',');
                    }
                    JsonNode value = row.get(i);
                    writer.write(value.isNumber() ? value.asText() : field(value.asText()));
                }
                writer.write("\r\n");
            }
        }

        /**
         * Quoted when it holds a separator, a quote or a line break. A text that a spreadsheet would run as a formula
         * (starting with = + - @, a tab or a carriage return: visitors choose paths and event properties) gets a
         * leading apostrophe, as OWASP advises for CSV; NDJSON and Parquet keep values exactly as stored.
         */
        static String field(String value) {
            String text = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
            if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
                return '"' + text.replace("\"", "\"\"") + '"';
            }
            return text;
        }

        @Override
        public void finish() throws IOException {
            writer.flush();
        }
    }

    private static final class NdjsonSink implements RowSink {
        private final OutputStream out;
        private final JsonGenerator generator;

        NdjsonSink(OutputStream out) throws IOException {
            this.out = out;
            this.generator = Json.MAPPER.getFactory().createGenerator(out);
            generator.setRootValueSeparator(null);
        }

        @Override
        public void rows(JsonNode rows) throws IOException {
            List<String> columns = ExportPages.COLUMNS;
            for (JsonNode row : rows) {
                generator.writeStartObject();
                for (int i = 0; i < columns.size(); i++) {
                    generator.writeFieldName(columns.get(i));
                    generator.writeTree(row.get(i));
                }
                generator.writeEndObject();
                generator.writeRaw('\n');
            }
        }

        @Override
        public void finish() throws IOException {
            generator.flush();
            out.flush();
        }
    }
}
