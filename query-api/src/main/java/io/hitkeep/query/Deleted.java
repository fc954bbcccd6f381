package io.hitkeep.query;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to deleting a goal, funnel, annotation or import: {@code {"id", "name"?, "deleted": true}}, with the
 * name for the things that have one. Immutable.
 */
public record Deleted(long id, @JsonInclude(JsonInclude.Include.NON_NULL) String name, boolean deleted) {
    static Deleted of(long id) {
        return new Deleted(id, null, true);
    }

    static Deleted of(long id, String name) {
        return new Deleted(id, name, true);
    }
}
