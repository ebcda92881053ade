package io.larder.hibernate.internal;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;

/** Where the log's follower gets its connections: a data source or Hibernate's provider. */
public interface Connections {
    /** A connection; give it back with {@link #release}. */
    Connection open() throws SQLException;

    /** Gives {@code connection} back. */
    void release(Connection connection) throws SQLException;

    /** Connections of {@code dataSource}, closed after use. */
    static Connections of(DataSource dataSource) {
        return new Connections() {
            @Override
            public Connection open() throws SQLException {
                return dataSource.getConnection();
            }

            @Override
            public void release(Connection connection) throws SQLException {
                connection.close();
            }
        };
    }

    /** Connections of a session factory's provider. */
    static Connections of(ConnectionProvider provider) {
        return new Connections() {
            @Override
            public Connection open() throws SQLException {
                return provider.getConnection();
            }

            @Override
            public void release(Connection connection) throws SQLException {
                provider.closeConnection(connection);
            }
        };
    }
}
