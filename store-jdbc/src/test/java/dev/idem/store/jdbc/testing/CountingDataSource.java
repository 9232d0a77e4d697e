package dev.idem.store.jdbc.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * A data source that records every call that costs a round trip to the database: a statement's execution, and a
 * connection's commit, rollback, savepoint and auto-commit changes. Connections are counted as they are used, not as
 * they are borrowed from the pool behind (a pool's own validation is not part of a store operation).
 */
public final class CountingDataSource implements InvocationHandler {
    private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch");
    private static final Set<String> CONNECTION_TRIPS = Set.of("commit", "rollback", "setSavepoint",
            "releaseSavepoint");
    private final DataSource target;
    private final List<String> trips = new CopyOnWriteArrayList<>();

    private CountingDataSource(DataSource target) {
        this.target = target;
    }

    /** Wraps a data source. */
    public static DataSource wrap(DataSource target, CountingDataSource[] handle) {
        CountingDataSource counting = new CountingDataSource(target);
        handle[0] = counting;
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                counting);
    }

    /** The round trips so far, oldest first: the SQL of each statement, or the connection call. */
    public List<String> trips() {
        return List.copyOf(trips);
    }

    public void clear() {
        trips.clear();
    }

    /** A connection (of the caller's own, for transactional tests) whose round trips are counted too. */
    public Connection count(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new ConnectionHandler(connection));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Object result = call(target, method, args);
        if (result instanceof Connection connection) {
            return count(connection);
        }
        return result;
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private final class ConnectionHandler implements InvocationHandler {
        private final Connection connection;

        ConnectionHandler(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (CONNECTION_TRIPS.contains(name)) {
                trips.add(name);
            } else if (name.equals("setAutoCommit") && (boolean) args[0] != connection.getAutoCommit()) {
                trips.add("setAutoCommit(" + args[0] + ")");
            }
            Object result = call(connection, method, args);
            if (result instanceof PreparedStatement statement) {
                String sql = (String) args[0];
                return Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                        new Class<?>[] {PreparedStatement.class}, new StatementHandler(statement, sql));
            }
            if (result instanceof Statement statement) {
                return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                        new StatementHandler(statement, null));
            }
            return result;
        }
    }

    private final class StatementHandler implements InvocationHandler {
        private final Statement statement;
        private final String sql;

        StatementHandler(Statement statement, String sql) {
            this.statement = statement;
            this.sql = sql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (EXECUTIONS.contains(method.getName())) {
                String text = sql != null ? sql : (String) args[0];
                trips.add(text.length() > 60 ? text.substring(0, 60) : text);
            }
            return call(statement, method, args);
        }
    }
}
