package io.hitkeep.writer;

import io.hitkeep.core.HitKeepException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named statements of one domain, from one SQL file beside its class ({@code sql/teams.sql}): each
 * statement follows a line {@code -- name: members-of-team}, and names its parameters {@code :team_id}. The
 * domain lists them as an enum nested in its class ({@link Named}); the file is read once, when the first of
 * them is used, and every name of the enum is checked then. Immutable.
 */
public final class SqlFile {
    /**
     * A domain's statements: an enum nested in the domain class whose constants name the statements of its
     * file ({@code MEMBERS_OF_TEAM} is {@code -- name: members-of-team}), so a call reads
     * {@code sql.list(Query.MEMBERS_OF_TEAM, ...)}.
     */
    public interface Named {
        /** The file beside the domain class, e.g. {@code sql/teams.sql}. */
        String file();

        /** The enum constant's name. */
        String name();
    }

    private static final java.util.concurrent.ConcurrentHashMap<Named, Statement> RESOLVED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The statement a constant names; the first use of an enum reads its file and checks all its names. */
    public static Statement of(Named named) {
        Statement statement = RESOLVED.get(named);
        if (statement != null) {
            return statement;
        }
        Class<?> names = ((Enum<?>) named).getDeclaringClass();
        SqlFile file = load(names.getEnclosingClass() == null ? names : names.getEnclosingClass(), named.file());
        for (Object constant : names.getEnumConstants()) {
            Named each = (Named) constant;
            RESOLVED.putIfAbsent(each, file.get(each.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
        }
        return RESOLVED.get(named);
    }
    private final String file;
    private final Map<String, Statement> statements;

    private SqlFile(String file, Map<String, Statement> statements) {
        this.file = file;
        this.statements = statements;
    }

    /** Reads {@code resource} (e.g. {@code sql/teams.sql}) beside {@code owner}. */
    public static SqlFile load(Class<?> owner, String resource) {
        Map<String, Statement> statements = new LinkedHashMap<>();
        String name = null;
        StringBuilder text = new StringBuilder();
        for (String line : (Database.resource(owner, resource) + "\n-- name: ").lines().toList()) {
            String stripped = line.strip();
            if (stripped.startsWith("-- name:")) {
                if (name != null) {
                    statements.put(name, Statement.parse(resource + "#" + name, text.toString().strip()));
                }
                name = stripped.substring("-- name:".length()).strip();
                text.setLength(0);
            } else if (name != null && !stripped.startsWith("--")) {
                text.append(line).append('\n');
            }
        }
        return new SqlFile(resource, statements);
    }

    /** The statement of that name; a name the file lacks is a programming error. */
    public Statement get(String name) {
        Statement statement = statements.get(name);
        if (statement == null) {
            throw new HitKeepException("no statement '" + name + "' in " + file);
        }
        return statement;
    }

    /**
     * One statement: its SQL with {@code ?} in place of each {@code :name}, and the names in order.
     * {@code ::TYPE} casts and quoted text are left alone.
     */
    public record Statement(String name, String sql, List<String> parameters) {
        static Statement parse(String name, String text) {
            StringBuilder sql = new StringBuilder();
            List<String> parameters = new ArrayList<>();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\'') {
                    quoted = !quoted;
                }
                boolean cast = i + 1 < text.length() && text.charAt(i + 1) == ':' || i > 0 && text.charAt(i - 1) == ':';
                if (!quoted && c == ':' && !cast && i + 1 < text.length() && Character.isLetter(text.charAt(i + 1))) {
                    int end = i + 1;
                    while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                        end++;
                    }
                    parameters.add(text.substring(i + 1, end));
                    sql.append('?');
                    i = end - 1;
                } else {
                    sql.append(c);
                }
            }
            return new Statement(name, sql.toString(), List.copyOf(parameters));
        }
    }
}
