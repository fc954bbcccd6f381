package io.hitkeep.writer;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the prepared statements of one pooled read connection for the next use of the same text. DuckDB takes
 * about as long to prepare a statement as to run a small one (0.5 to 4 ms each; a stats answer prepares a dozen,
 * BENCHMARKS.md "Seventh session"), and a store handler's statements repeat: named statements always, the stats'
 * composed ones for a range asked again. DuckDB binds a kept statement again by itself when a table it reads
 * changed shape or was made again (the fresh days' temporary tables), and each run reads the current rows.
 * <p>
 * {@link #keeping} wraps the connection: {@code prepareStatement(sql)} hands out a kept statement of that text if
 * one is idle, else prepares one; its {@code close()} clears its parameters and keeps it (the least recently used
 * of more than {@link #CAPACITY} texts is closed). A statement in use is not idle, so a nested use of the same
 * text prepares its own; one whose use failed is closed, not kept. Everything else goes to the connection as it
 * is. Used by one thread at a time, as its connection.
 */
final class StatementCache implements InvocationHandler {
    /** Texts kept per connection: a dashboard's few ranges' statements and every named statement in use. */
    static final int CAPACITY = 48;

    private final Connection connection;
    private final Map<String, PreparedStatement> idle = new LinkedHashMap<>(CAPACITY, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() > CAPACITY) {
                closeQuietly(eldest.getValue());
                return true;
            }
            return false;
        }
    };

    private StatementCache(Connection connection) {
        this.connection = connection;
    }

    /** {@code connection}, keeping its prepared statements; closing it closes them. */
    static Connection keeping(Connection connection) {
        return (Connection) Proxy.newProxyInstance(StatementCache.class.getClassLoader(), new Class<?>[] {Connection.class},
                new StatementCache(connection));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
        if (method.getName().equals("prepareStatement") && method.getParameterCount() == 1) {
            return prepare((String) arguments[0]);
        }
        if (method.getName().equals("close") && method.getParameterCount() == 0) {
            idle.values().forEach(StatementCache::closeQuietly);
            idle.clear();
        }
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == arguments[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "kept statements of " + connection;
            };
        }
        return forward(connection, method, arguments);
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = idle.remove(sql);
        // closed behind the cache's back (through its result set's getStatement()): prepared again
        if (statement == null || statement.isClosed()) {
            statement = connection.prepareStatement(sql);
        }
        return (PreparedStatement) Proxy.newProxyInstance(StatementCache.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, new Lent(sql, statement));
    }

    /** A kept statement while its holder uses it: back to the idle ones when closed. */
    private final class Lent implements InvocationHandler {
        private final String sql;
        private final PreparedStatement statement;
        private boolean closed;
        private boolean failed;

        Lent(String sql, PreparedStatement statement) {
            this.sql = sql;
            this.statement = statement;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == arguments[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "kept " + statement;
                };
            }
            switch (method.getName()) {
                case "close" -> {
                    giveBack();
                    return null;
                }
                case "isClosed" -> {
                    return closed;
                }
                default -> {
                    if (closed) {
                        throw new SQLException("statement closed");
                    }
                    try {
                        return forward(statement, method, arguments);
                    } catch (SQLException | RuntimeException e) {
                        failed = true;
                        throw e;
                    }
                }
            }
        }

        private void giveBack() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                statement.clearParameters();
            } catch (SQLException e) {
                failed = true;
            }
            if (failed || idle.containsKey(sql)) {
                closeQuietly(statement);
            } else {
                idle.put(sql, statement);
            }
        }
    }

    private static Object forward(Object target, Method method, Object[] arguments) throws Throwable {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
