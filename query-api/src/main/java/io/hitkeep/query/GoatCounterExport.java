package io.hitkeep.query;

import io.hitkeep.core.DomainError;

import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * GoatCounter's CSV export, format version 2 (as documented at goatcounter.com/help/export and written by
 * its {@code Export.Run}): one row per pageview or event, under the header
 * {@code 2Path,Title,Event,UserAgent,Browser,System,Session,Bot,Referrer,Referrer scheme,Screen size,Location,FirstVisit,Date}
 * (the version is the first field's prefix; the help page shows it as {@code 2,Path}, which is read too).
 * Rows of bots ({@code Bot} not 0) are left out; an event's path is its name. Kept per pageview: time,
 * session, path, referrer (a host for {@code h}, a source for a generated {@code g} or other {@code o}
 * one, a UTM source for a campaign {@code c}), country (of {@code US-TX}), browser and system with their
 * versions, and a device type from the screen width. Version 1 exports are refused. Not thread-safe.
 */
final class GoatCounterExport {
    static final List<String> HEADER = List.of("Path", "Title", "Event", "UserAgent", "Browser", "System", "Session", "Bot",
            "Referrer", "Referrer scheme", "Screen size", "Location", "FirstVisit", "Date");
    private static final int PATH = 0;
    private static final int EVENT = 2;
    private static final int BROWSER = 4;
    private static final int SYSTEM = 5;
    private static final int SESSION = 6;
    private static final int BOT = 7;
    private static final int REFERRER = 8;
    private static final int REFERRER_SCHEME = 9;
    private static final int SCREEN_SIZE = 10;
    private static final int LOCATION = 11;
    private static final int FIRST_VISIT = 12;
    private static final int DATE = 13;

    private GoatCounterExport() {
    }

    /** Reads one export file (an {@link ExportArchive.FileReader}). */
    static void read(String file, Reader text, ImportChunks rows) throws IOException {
        CsvReader csv = new CsvReader(text, file);
        List<String> header = csv.next().orElseThrow(() -> DomainError.invalid(file + " is empty: it has no header"));
        String first = header.getFirst().replace("\uFEFF", "").strip();
        if (first.startsWith("1")) {
            throw csv.error("this is a version 1 GoatCounter export; export again from GoatCounter for version 2");
        }
        boolean versionApart = first.equals("2") && header.size() == HEADER.size() + 1;
        List<String> names = versionApart ? header.subList(1, header.size()) : header;
        String firstName = versionApart ? names.getFirst() : first.startsWith("2") ? first.substring(1) : "";
        if (!firstName.equals(HEADER.getFirst()) || !names.subList(1, names.size()).equals(HEADER.subList(1, HEADER.size()))) {
            throw csv.error("not the header of a GoatCounter export (version 2): wanted 2" + String.join(",", HEADER));
        }
        for (Optional<List<String>> fields = csv.next(); fields.isPresent(); fields = csv.next()) {
            List<String> row = fields.get();
            if (row.size() != HEADER.size()) {
                throw csv.error(row.size() + " fields where the header has " + HEADER.size());
            }
            pageview(csv, row).ifPresent(rows::add);
        }
    }

    /** The row as a pageview or event; empty for a bot's. */
    private static Optional<Imports.Pageview> pageview(CsvReader csv, List<String> row) {
        long bot = ExportValues.count(csv, "Bot", row.get(BOT));
        boolean event = bool(csv, "Event", row.get(EVENT));
        bool(csv, "FirstVisit", row.get(FIRST_VISIT));
        Instant time;
        try {
            time = OffsetDateTime.parse(row.get(DATE).strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw csv.error("column Date: '" + ExportValues.shortened(row.get(DATE)) + "' is not a time like 2024-01-31T10:00:00Z");
        }
        String path = row.get(PATH).strip();
        if (path.isEmpty()) {
            throw csv.error("column Path is empty");
        }
        if (bot != 0) {
            return Optional.empty();
        }
        String referrer = row.get(REFERRER).strip();
        String scheme = row.get(REFERRER_SCHEME).strip();
        if (!List.of("", "h", "g", "c", "o").contains(scheme)) {
            throw csv.error("column Referrer scheme: '" + ExportValues.shortened(scheme) + "' is none of h, g, c, o");
        }
        String referrerHost = scheme.equals("h") || scheme.isEmpty() && !referrer.isEmpty() ? ExportValues.host(referrer) : "";
        String source = scheme.equals("g") || scheme.equals("o") ? referrer : "";
        String utmSource = scheme.equals("c") ? referrer : "";
        String[] browser = nameAndVersion(row.get(BROWSER));
        String[] system = nameAndVersion(row.get(SYSTEM));
        String location = row.get(LOCATION).strip();
        String country = location.length() >= 2 ? location.substring(0, 2).toUpperCase(Locale.ROOT) : "";
        // an export row without a session still was someone: a session of its own
        String session = row.get(SESSION).strip().isEmpty() ? "line " + csv.line() : row.get(SESSION).strip();
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, time);
        return Optional.of(new Imports.Pageview(micros, session, path, event, referrerHost, source, utmSource, country,
                browser[0], browser[1], system[0], system[1], device(row.get(SCREEN_SIZE))));
    }

    /** Go's strconv.ParseBool, which GoatCounter's import uses. */
    private static boolean bool(CsvReader csv, String column, String text) {
        return switch (text.strip()) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw csv.error("column " + column + ": '" + ExportValues.shortened(text) + "' is neither true nor false");
        };
    }

    /** "Firefox 128" as Firefox and 128, "Chrome Mobile 120" as Chrome Mobile and 120, "Linux " as Linux alone. */
    static String[] nameAndVersion(String text) {
        String value = text.strip();
        int space = value.lastIndexOf(' ');
        if (space > 0 && Character.isDigit(value.charAt(space + 1))) {
            return new String[] {value.substring(0, space).strip(), value.substring(space + 1)};
        }
        return new String[] {value, ""};
    }

    /**
     * The device type from the screen size {@code width,height,scaling}: under 600 CSS pixels wide a phone,
     * under 1024 a tablet, else a desktop; unknown without a size.
     */
    static String device(String screenSize) {
        String width = screenSize.strip().split(",", 2)[0].strip();
        try {
            double pixels = Double.parseDouble(width);
            if (pixels <= 0) {
                return "";
            }
            return pixels < 600 ? "mobile" : pixels < 1024 ? "tablet" : "desktop";
        } catch (NumberFormatException e) {
            return "";
        }
    }
}
