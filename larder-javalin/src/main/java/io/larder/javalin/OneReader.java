package io.larder.javalin;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.slf4j.LoggerFactory;

/**
 * Keeps Jetty's HTTP/1 connections to one reader at a time: a workaround for a race in Jetty
 * 12.1.14 that answered requests of other keep-alive connections with the wrong response.
 *
 * <p>When Jetty's parser rejects a request (a malformed request line or header: a 400), it sends
 * the error answer on another thread while the thread that parsed it is still inside
 * {@code HttpConnection.onFillable}. The answer's completion then "resumes" the connection, so
 * a second thread runs {@code onFillable} on it at the same time. The first releases the
 * connection's request buffer to the pool; the second still fills it (the socket is closing and
 * gives nothing, but the fill moves the buffer's position and limit). By then another connection
 * has taken that buffer from the pool with its next request in it, and the moved limit makes that
 * connection parse its request a second time: it sends two answers to one request, and every later
 * request on it gets the answer meant for the one before. Seen in {@code HostileRequestTest},
 * whose junk requests include malformed ones, at one or two wrong answers in 100,000 requests;
 * with Jetty's debug log, the sequence above is what it shows (bench/README.md, "Jetty reads a
 * request twice").
 *
 * <p>Here a call of {@code onFillable} that finds another thread inside it returns at once, and
 * the thread inside reads again for it when it leaves, unless the connection already waits for
 * bytes from the network (then the selector calls it when they come): the same order of events as
 * when the completion comes a moment later, which Jetty handles.
 */
final class OneReader {
    private static final String INTERNAL = "org.eclipse.jetty.server.internal";

    private OneReader() {
    }

    /**
     * Puts the guarded factory in place of each connector's plain HTTP/1 factory; on the module
     * path only where Jetty's internal package is exported to Larder (else it warns, saying how).
     */
    static void install(Server server) {
        Module jetty = HttpConnectionFactory.class.getModule();
        if (!jetty.isExported(INTERNAL, OneReader.class.getModule())) {
            LoggerFactory.getLogger(OneReader.class).warn("Jetty's HTTP/1 connections are not"
                    + " guarded against a Jetty 12.1 race that can answer a keep-alive request"
                    + " with another's response after a malformed request; on the module path,"
                    + " run with --add-exports {}=io.larder.javalin",
                    "org.eclipse.jetty.server/" + INTERNAL);
            return;
        }
        for (Connector connector : server.getConnectors()) {
            if (!(connector instanceof AbstractConnector abstractConnector)) {
                continue;
            }
            List<ConnectionFactory> factories = List.copyOf(connector.getConnectionFactories());
            for (ConnectionFactory factory : factories) {
                if (factory.getClass() == HttpConnectionFactory.class) {
                    abstractConnector.addConnectionFactory(
                            new Factory((HttpConnectionFactory) factory));
                }
            }
        }
    }

    /** Jetty's HTTP/1 factory, making {@link Guarded} connections. */
    static final class Factory extends HttpConnectionFactory {
        Factory(HttpConnectionFactory plain) {
            super(plain.getHttpConfiguration());
            setInputBufferSize(plain.getInputBufferSize());
            setTransferEncodingChunkMaxLength(plain.getTransferEncodingChunkMaxLength());
        }

        @Override
        public Connection newConnection(Connector connector, EndPoint endPoint) {
            HttpConnection connection = new Guarded(getHttpConfiguration(), connector, endPoint);
            connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
            return configure(connection, connector, endPoint);
        }
    }

    /** An HTTP/1 connection whose {@code onFillable} runs on one thread at a time. */
    static final class Guarded extends HttpConnection {
        /** Calls of {@link #onFillable} not yet served; more than one: a thread is inside. */
        private final AtomicInteger calls = new AtomicInteger();

        Guarded(HttpConfiguration configuration, Connector connector, EndPoint endPoint) {
            super(configuration, connector, endPoint);
        }

        @Override
        public void onFillable() {
            if (calls.getAndIncrement() != 0) {
                return; // the thread inside reads again for this call as it leaves
            }
            super.onFillable();
            int serving = 1;
            while ((serving = calls.addAndGet(-serving)) != 0) { // those that came meanwhile
                if (!isFillInterested()) {
                    super.onFillable();
                }
            }
        }
    }
}
