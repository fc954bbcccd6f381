package io.hitkeep.query;

import io.hitkeep.auth.Access;
import io.hitkeep.core.DomainError;
import io.hitkeep.core.Scope;
import io.hitkeep.core.StoreOperation;
import io.hitkeep.writer.Database;
import io.hitkeep.writer.SqlFile;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Notes on days of a site's chart ("launched the new pricing page"): admins add and remove them, members
 * read them; the dashboard draws them as markers. Days are the site's local days, like the stats' ranges.
 * Thread-safe.
 */
public final class Annotations {
    public static final StoreOperation<NewAnnotation, Annotation> CREATE =
            StoreOperation.of("annotations.create", NewAnnotation.class, Annotation.class);
    public static final StoreOperation<AnnotationQuery, AnnotationList> LIST =
            StoreOperation.of("annotations.list", AnnotationQuery.class, AnnotationList.class);
    public static final StoreOperation<AnnotationRef, Deleted> DELETE =
            StoreOperation.of("annotations.delete", AnnotationRef.class, Deleted.class);

    public record NewAnnotation(Scope scope, int siteId, String date, String text) {
    }

    /** Both ends included, as dates {@code YYYY-MM-DD}. */
    public record AnnotationQuery(Scope scope, int siteId, String from, String to) {
    }

    public record AnnotationRef(Scope scope, int siteId, int annotationId) {
    }

    /** A note on a day ({@code date} as {@code YYYY-MM-DD}). */
    public record Annotation(int id, String date, String text) {
    }

    /** The notes of a range, in date order. */
    public record AnnotationList(List<Annotation> annotations) {
        public AnnotationList {
            annotations = annotations == null ? List.of() : List.copyOf(annotations);
        }
    }

    private static final int TEXT_LIMIT = 200;
    /** The statements of {@code sql/annotations.sql}, each named there like its constant, in lower case with dashes. */
    private enum Query implements SqlFile.Named {
        INSERT_ANNOTATION, ANNOTATIONS_OF_SITE, DELETE_ANNOTATION;

        @Override
        public String file() {
            return "sql/annotations.sql";
        }
    }

    private final Database database;
    private final Sites sites;

    Annotations(Database database, Sites sites) {
        this.database = database;
        this.sites = sites;
    }

    Annotation create(NewAnnotation annotation) {
        sites.get(annotation.scope(), annotation.siteId(), Access.Action.MANAGE_ANNOTATIONS);
        String day = date("date", annotation.date()).toString();
        String text = annotation.text() == null ? "" : annotation.text().strip();
        if (text.isEmpty() || text.length() > TEXT_LIMIT) {
            throw DomainError.invalid("text is required, at most " + TEXT_LIMIT + " characters");
        }
        long id = database.write("add annotation", sql -> sql.number(Query.INSERT_ANNOTATION, "site_id", annotation.siteId(),
                "day", day, "text", text, "user_id", annotation.scope().userId()));
        return new Annotation((int) id, day, text);
    }

    AnnotationList list(AnnotationQuery query) {
        sites.get(query.scope(), query.siteId(), Access.Action.READ_SITE);
        LocalDate from = date("from", query.from());
        LocalDate to = date("to", query.to());
        if (to.isBefore(from)) {
            throw DomainError.invalid("'to' is before 'from'");
        }
        return database.read(sql -> new AnnotationList(sql.list(Query.ANNOTATIONS_OF_SITE,
                row -> new Annotation(row.getInt(1), row.getString(2), row.getString(3)), "site_id", query.siteId(),
                "from", from.toString(), "to", to.toString())));
    }

    Deleted delete(Scope scope, int siteId, int annotationId) {
        sites.get(scope, siteId, Access.Action.MANAGE_ANNOTATIONS);
        return database.write("delete annotation", sql -> sql.first(Query.DELETE_ANNOTATION,
                        row -> Deleted.of(row.getInt(1)), "id", annotationId, "site_id", siteId)
                .orElseThrow(() -> DomainError.notFound("no such annotation")));
    }

    private static LocalDate date(String field, String text) {
        try {
            LocalDate date = LocalDate.parse(text == null ? "" : text.strip());
            if (date.getYear() < 1970 || date.getYear() > 9999) {
                throw DomainError.invalid("'" + field + "' must be a date between 1970 and 9999");
            }
            return date;
        } catch (DateTimeParseException e) {
            throw DomainError.invalid("'" + field + "' must be a date like 2025-01-31");
        }
    }
}
