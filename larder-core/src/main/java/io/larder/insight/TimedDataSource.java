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
import java.util.Set;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that times every statement it executes and records it in the open
 * {@link Trace} as a {@code "db"} span named by its {@link SqlShape}: the database time of
 * {@code Server-Timing} and the queries the advisor ranks. Works under any ORM or plain JDBC.
 * Costs nothing but a thread-local read when no trace is open.
 */
public final class TimedDataSource {
    private static final Set<String> EXECUTE = Set.of("execute", "executeQuery", "executeUpdate",
            "executeBatch", "executeLargeUpdate", "executeLargeBatch");

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
        return proxy(Connection.class, connection, (target, method, args) -> {
            Object result = invoke(target, method, args);
            String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
            if (result instanceof CallableStatement s) {
                return statement(CallableStatement.class, s, sql);
            }
            if (result instanceof PreparedStatement s) {
                return statement(PreparedStatement.class, s, sql);
            }
            if (result instanceof Statement s) {
                return statement(Statement.class, s, null);
            }
            return result;
        });
    }

    private static <S extends Statement> S statement(Class<S> type, S statement, String prepared) {
        return proxy(type, statement, (target, method, args) -> {
            if (!EXECUTE.contains(method.getName()) || !Trace.active()) {
                return invoke(target, method, args);
            }
            String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : prepared;
            long start = System.nanoTime();
            try {
                return invoke(target, method, args);
            } finally {
                Trace.record("db", sql == null ? "batch" : SqlShape.of(sql), "", System.nanoTime() - start);
            }
        });
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
            if (method.getName().equals("isWrapperFor") && args != null && args[0] instanceof Class<?> c
                    && c.isInstance(target)) {
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
