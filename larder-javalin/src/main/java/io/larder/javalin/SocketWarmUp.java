package io.larder.javalin;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Warm-up requests over the server's own network connector (plain HTTP/1.1, on loopback when it
 * listens on every address), a few on each new connection, one at a time as a browser sends
 * them: a visitor's first connection then meets accept, selector, socket and thread-pool code
 * that the JVM has already loaded and run, which the in-memory connector does not reach. The
 * connections' client ends (address and port) are remembered while they are open, so that their
 * requests are not reported as visitors'.
 */
final class SocketWarmUp {
    private static final int TIMEOUT_MILLIS = 2_000;
    private static final int MAX_HEAD = 16 * 1024;

    /** The client ends of the warm-up connections now open, as the server sees them. */
    private final Set<SocketAddress> open = ConcurrentHashMap.newKeySet();

    /**
     * Asks {@code server} for {@code url} (language {@code language}, may be null) {@code
     * requests} times on one new connection to its first plain HTTP/1.1 connector; false if it
     * has none, or an answer was not a 200 with a {@code Content-Length}, or the request failed.
     */
    boolean visit(Server server, String url, String language, int requests) {
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
            socket.setTcpNoDelay(true);
            SocketAddress ours = socket.getLocalSocketAddress();
            open.add(ours);
            try {
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                byte[] request = ("GET " + url + " HTTP/1.1\r\nHost: localhost\r\n"
                        + (language == null ? "" : "Accept-Language: " + language + "\r\n")
                        + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                for (int i = 0; i < requests; i++) {
                    out.write(request);
                    out.flush();
                    if (!readAnswer(in)) {
                        return false;
                    }
                }
            } finally {
                open.remove(ours);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads one answer: true if it was a 200 with a {@code Content-Length}, all read. */
    private static boolean readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int matched = 0; // of the blank line's "\r\n\r\n"
        while (matched < 4) {
            int b = in.read();
            if (b < 0 || head.length() >= MAX_HEAD) {
                return false;
            }
            head.append((char) b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        String text = head.toString().toLowerCase(Locale.ROOT);
        int at = text.indexOf("\r\ncontent-length:");
        if (!text.startsWith("http/1.1 200") || at < 0) {
            return false;
        }
        long length = Long.parseLong(text.substring(at + 17, text.indexOf('\r', at + 2)).trim());
        in.skipNBytes(length);
        return true;
    }

    /** Whether a request from {@code remote} is one of these warm-up requests. */
    boolean isOurs(SocketAddress remote) {
        return !open.isEmpty() && remote != null && open.contains(remote);
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
