package io.larder.insight;

import io.larder.Trace;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that times every statement it executes and records it in the open
 * {@link Trace} as a {@code "db"} span named by its {@link SqlShape}: the database time of
 * {@code Server-Timing} and the queries the advisor ranks. Works under any ORM or plain JDBC.
 *
 * <p>A query's span runs from the statement's preparation (for its first execution; from the
 * execution itself after that) until its results are released: the statement is closed or
 * executed again, or its connection is closed. So planning the statement, reading the rows, and
 * an ORM building entities from them while it reads all count toward the query that produced
 * them, not only the driver's execute. Updates and batches are timed until they return. Costs
 * nothing but a thread-local read when no trace is open.
 */
public final class TimedDataSource {
    private static final Set<String> EXECUTE = Set.of("execute", "executeQuery", "executeUpdate",
            "executeBatch", "executeLargeUpdate", "executeLargeBatch");
    /** Executions whose span lasts until the statement is closed: they may return rows. */
    private static final Set<String> READS = Set.of("execute", "executeQuery");

    private TimedDataSource() {
    }

    /** {@code dataSource}, with its statements timed. */
    public static DataSource wrap(DataSource dataSource) {
        return proxy(DataSource.class, dataSource, (target, method, args) -> {
            Object result = invoke(target, method, args);
            return result instanceof Connection c ? connection(c) : result;
        });
    }

    private static Connection connection(Connection connection) {
        Open open = new Open();
        return proxy(Connection.class, connection, (target, method, args) -> {
            if (method.getName().equals("close")) {
                try {
                    return invoke(target, method, args);
                } finally {
                    open.endAll(); // closing a connection closes its statements
                }
            }
            long preparedAt = Trace.active() ? System.nanoTime() : 0;
            Object result = invoke(target, method, args);
            String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
            if (result instanceof CallableStatement s) {
                return statement(CallableStatement.class, s, sql, preparedAt, open);
            }
            if (result instanceof PreparedStatement s) {
                return statement(PreparedStatement.class, s, sql, preparedAt, open);
            }
            if (result instanceof Statement s) {
                return statement(Statement.class, s, null, 0, open);
            }
            return result;
        });
    }

    private static <S extends Statement> S statement(Class<S> type, S statement, String prepared,
            long preparedAt, Open open) {
        Execution[] current = new Execution[1];
        long[] firstStart = {preparedAt};
        return proxy(type, statement, (target, method, args) -> {
            String name = method.getName();
            if (name.equals("close")) {
                try {
                    return invoke(target, method, args);
                } finally {
                    open.end(current[0]);
                    current[0] = null;
                }
            }
            if (!EXECUTE.contains(name) || !Trace.active()) {
                return invoke(target, method, args);
            }
            open.end(current[0]); // executing again releases the previous results
            current[0] = null;
            String sql = args != null && args.length > 0 && args[0] instanceof String s
                    ? s : prepared;
            String shape = sql == null ? "batch" : SqlShape.cached(sql);
            // The first execution of a prepared statement counts from its preparation: parsing and
            // planning the statement is the database's work too (H2 does it in prepareStatement).
            long start = firstStart[0] != 0 ? firstStart[0] : System.nanoTime();
            firstStart[0] = 0;
            Execution execution = new Execution(shape, start);
            boolean returned = false;
            try {
                Object result = invoke(target, method, args);
                returned = true;
                return result;
            } finally {
                if (returned && READS.contains(name)) {
                    current[0] = execution;
                    open.add(execution);
                } else {
                    execution.end();
                }
            }
        });
    }

    /** One execution of a statement, timed from its start until its results are released. */
    private static final class Execution {
        private final String shape;
        private final long start;

        Execution(String shape, long start) {
            this.shape = shape;
            this.start = start;
        }

        void end() {
            Trace.record(Trace.DB, shape, "", System.nanoTime() - start);
        }
    }

    /**
     * The executions of one connection whose results are not yet released. A connection is used
     * by one thread at a time; the lock only guards against a pool closing it from another.
     */
    private static final class Open {
        private final List<Execution> executions = new ArrayList<>(2);

        synchronized void add(Execution execution) {
            executions.add(execution);
        }

        synchronized void end(Execution execution) {
            if (execution != null && executions.remove(execution)) {
                execution.end();
            }
        }

        synchronized void endAll() {
            executions.forEach(Execution::end);
            executions.clear();
        }
    }

    private interface Handler<T> {
        Object handle(T target, Method method, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, Handler<T> handler) {
        InvocationHandler invocation = (proxy, method, args) -> {
            if (method.getName().equals("unwrap") && args != null && args[0] instanceof Class<?> c
                    && c.isInstance(target)) {
                return target;
            }
            if (method.getName().equals("isWrapperFor") && args != null
                    && args[0] instanceof Class<?> c && c.isInstance(target)) {
                return true;
            }
            return handler.handle(target, method, args);
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, invocation);
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
