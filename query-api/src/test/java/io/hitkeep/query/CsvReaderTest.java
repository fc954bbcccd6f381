package io.hitkeep.query;

import io.hitkeep.core.DomainError;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CSV as ClickHouse and Go's encoding/csv write it, read record by record with the line each starts on. */
class CsvReaderTest {
    private static List<String> records(String text) throws IOException {
        CsvReader csv = new CsvReader(new StringReader(text), "test.csv");
        List<String> records = new ArrayList<>();
        for (Optional<List<String>> record = csv.next(); record.isPresent(); record = csv.next()) {
            records.add(csv.line() + ":" + String.join("|", record.get()));
        }
        return records;
    }

    @Test
    void quotesDoubledQuotesLineBreaksInFieldsCrlfAndBlankLines() throws IOException {
        String text = "\"date\",\"page\",visitors\r\n"
                + "\"2024-03-01\",\"/a,b\",3\r\n"
                + "\r\n"
                + "2024-03-02,\"say \"\"hi\"\"\",4\n"
                + "2024-03-03,\"two\nlines\",5\n"
                + "2024-03-04,,6";
        assertEquals(List.of("1:date|page|visitors", "2:2024-03-01|/a,b|3", "4:2024-03-02|say \"hi\"|4",
                "5:2024-03-03|two\nlines|5", "7:2024-03-04||6"), records(text));
    }

    @Test
    void refusalsNameTheFileAndTheLine() {
        DomainError unclosed = assertThrows(DomainError.class, () -> records("a,b\n1,\"open\n"));
        assertEquals("test.csv line 2: a quoted field is not closed before the end of the file", unclosed.getMessage());
        DomainError after = assertThrows(DomainError.class, () -> records("a,b\n\n1,\"x\"y\n"));
        assertEquals("test.csv line 3: text after a closing quote", after.getMessage());
        DomainError endless = assertThrows(DomainError.class, () -> records("a\n" + "x".repeat(CsvReader.MAX_RECORD_CHARS + 1)));
        assertTrue(endless.getMessage().startsWith("test.csv line 2: the row is longer than"), endless.getMessage());
    }
}
