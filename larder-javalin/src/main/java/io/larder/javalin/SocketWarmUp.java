package io.larder.javalin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Warm-up requests over the server's own network connector (plain HTTP/1.1, on loopback when it
 * listens on every address), each on a new connection: a visitor's first connection then meets
 * accept, selector, socket and thread-pool code that the JVM has already loaded and run. The
 * in-memory connector runs the same request handling but none of that. The requests' local ports
 * are remembered while they run, so that they are not reported as visitors.
 */
final class SocketWarmUp {
    private static final int TIMEOUT_MILLIS = 2_000;

    private final Set<Integer> ports = ConcurrentHashMap.newKeySet();

    /**
     * Asks {@code server} for {@code url} (language {@code language}, may be null) over its first
     * plain HTTP/1.1 connector; false if it has none or the request failed.
     */
    boolean visit(Server server, String url, String language) {
        ServerConnector connector = plainConnector(server);
        if (connector == null || connector.getLocalPort() <= 0) {
            return false;
        }
        String host = connector.getHost();
        try (Socket socket = new Socket()) {
            InetAddress address = host == null || host.isEmpty() || host.equals("0.0.0.0")
                    || host.equals("::") ? InetAddress.getLoopbackAddress()
                    : InetAddress.getByName(host);
            socket.connect(new InetSocketAddress(address, connector.getLocalPort()),
                    TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            int port = socket.getLocalPort();
            ports.add(port);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + url + " HTTP/1.1\r\nHost: localhost\r\n"
                        + (language == null ? "" : "Accept-Language: " + language + "\r\n")
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                while (in.read(buffer) >= 0) {
                    // the whole answer, until the server closes
                }
            } finally {
                ports.remove(port);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a request from {@code remote} is one of these warm-up requests (on loopback). */
    boolean isOurs(SocketAddress remote) {
        return !ports.isEmpty() && remote instanceof InetSocketAddress inet
                && ports.contains(inet.getPort()) && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress();
    }

    private static ServerConnector plainConnector(Server server) {
        for (Connector c : server.getConnectors()) {
            if (c instanceof ServerConnector sc
                    && sc.getDefaultConnectionFactory() instanceof HttpConnectionFactory) {
                return sc;
            }
        }
        return null;
    }
}
