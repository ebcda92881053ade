package io.larder.javalin;

import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;

/**
 * Renders a page without a visitor's request, for background refresh and warming: it passes a
 * request for the page's URL (path, allowlisted query, the language as {@code Accept-Language},
 * no cookies) to Jetty's in-memory {@link LocalConnector}, so the request runs through the
 * application's real before-handlers and route on a server thread, and the page's handler hands
 * what it captured back in the same JVM ({@link #answer}). Nothing goes over the network: no
 * port, no host, no TLS to reach, and no secret — a request is a render because it arrived on
 * this connector, which no client outside the process can reach.
 */
final class Renderer {
    /** Names the pending render a request on the render connector is for. */
    static final String RENDER_HEADER = "X-Larder-Render";

    private final Duration timeout;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile LocalConnector connector;
    private final SocketWarmUp sockets = new SocketWarmUp();

    Renderer(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Adds the render connector to {@code server}, with the HTTP settings of its first connector
     * (URI compliance, header sizes); called once the application's connectors exist, so that
     * Javalin's own connector stays the first.
     */
    void attach(Server server) {
        HttpConfiguration http = new HttpConfiguration();
        for (Connector c : server.getConnectors()) {
            HttpConnectionFactory factory = c.getConnectionFactory(HttpConnectionFactory.class);
            if (factory != null) {
                http = new HttpConfiguration(factory.getHttpConfiguration());
                break;
            }
        }
        http.getCustomizers().clear(); // a render has no proxy in front, no TLS to describe
        LocalConnector local = new LocalConnector(server, new HttpConnectionFactory(http));
        local.setName("larder-render");
        server.addConnector(local);
        this.connector = local;
    }

    /**
     * Whether {@code request} is a render: it names one and arrived on the render connector (the
     * fast path lets it pass; a warmed page's {@link #visit} is an ordinary request).
     */
    boolean isRender(Request request) {
        LocalConnector local = connector;
        return local != null && request.getConnectionMetaData().getConnector() == local
                && request.getHeaders().contains(RENDER_HEADER);
    }

    /** Whether {@code ctx}'s request is a render (see {@link #isRender(Request)}). */
    boolean isRenderRequest(Context ctx) {
        if (connector == null || ctx.header(RENDER_HEADER) == null) {
            return false;
        }
        Request request = coreRequest(ctx);
        return request != null && isRender(request);
    }

    /**
     * Whether {@code request} is one of the warming's {@link #visit visits}: it arrived on the
     * render connector and is not a render. Visits are not visitors: they are not reported to the
     * plugin's request listeners (the dashboard, metrics).
     */
    boolean isVisit(Request request) {
        LocalConnector local = connector;
        if (local == null) {
            return false;
        }
        return request.getConnectionMetaData().getConnector() == local
                ? !request.getHeaders().contains(RENDER_HEADER)
                : sockets.isOurs(request.getConnectionMetaData().getRemoteSocketAddress());
    }

    /** Whether {@code ctx}'s request is a warming's visit (see {@link #isVisit(Request)}). */
    boolean isVisitRequest(Context ctx) {
        if (connector == null) {
            return false;
        }
        Request request = coreRequest(ctx);
        return request != null && isVisit(request);
    }

    /** The Jetty request behind {@code ctx}'s servlet request, or {@code null}. */
    private static Request coreRequest(Context ctx) {
        return ServletContextRequest.getServletContextRequest(ctx.req());
    }

    /** A render waiting for its answer, and whether it refreshes a page served stale meanwhile. */
    private record Pending(CompletableFuture<Rendered> answer, boolean refresh) {
    }

    /** Hands {@code rendered} to the render that sent {@code ctx}'s request. */
    void answer(Context ctx, Rendered rendered) {
        Pending waiting = pending.get(ctx.header(RENDER_HEADER));
        if (waiting != null) {
            waiting.answer.complete(rendered);
        }
    }

    /**
     * Whether {@code ctx}'s request is a render that refreshes a page served stale meanwhile: no
     * visitor waits for it (a warming render may have visitors waiting on its load).
     */
    boolean isRefresh(Context ctx) {
        Pending waiting = pending.get(ctx.header(RENDER_HEADER));
        return waiting != null && waiting.refresh;
    }

    /**
     * Renders {@code request}'s page on this server, without the network.
     *
     * @param refresh whether it refreshes a page served stale meanwhile (see {@link #isRefresh})
     */
    Rendered render(PageRequest request, boolean refresh) throws Exception {
        String id = Long.toString(ids.incrementAndGet());
        CompletableFuture<Rendered> answer = new CompletableFuture<>();
        pending.put(id, new Pending(answer, refresh));
        try {
            LocalConnector.LocalEndPoint endpoint = send(request.url(), request.language(), null,
                    id);
            ByteBuffer response = endpoint.waitForResponse(false, timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            Rendered rendered = answer.getNow(null);
            if (rendered != null) {
                return rendered;
            }
            endpoint.close();
            return Rendered.refused(response == null
                    ? "the render of " + request.url() + " took longer than " + timeout
                    : "the render of " + request.url() + " answered " + statusLine(response));
        } finally {
            pending.remove(id);
        }
    }

    /**
     * Asks this server for {@code url} in {@code language} as an anonymous visitor would, in
     * memory, and waits for the answer: a warmed page's first visit, which teaches the {@link
     * PageFront fast path} the page by its usual rule (the ordinary path served that target).
     *
     * @param acceptEncoding the {@code Accept-Encoding} to send, or {@code null} for none
     * @return the status line of the answer, or {@code null} if none came within the timeout
     */
    String visit(String url, String language, String acceptEncoding) throws Exception {
        LocalConnector.LocalEndPoint endpoint = send(url, language, acceptEncoding, null);
        ByteBuffer response = endpoint.waitForResponse(false, timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        if (response == null) {
            endpoint.close();
            return null;
        }
        return statusLine(response);
    }

    /**
     * Asks this server for {@code url} in {@code language} as {@link #visit} does, {@code
     * requests} times on one connection to its network connector ({@link SocketWarmUp}); false
     * if it has no plain HTTP/1.1 connector or a request failed.
     */
    boolean visitOverSocket(String url, String language, int requests) {
        LocalConnector local = connector;
        return local != null && local.isStarted() && sockets.visit(local.getServer(), safe(url),
                language == null ? null : safe(language), requests);
    }

    /** Sends one request ({@code Connection: close}) on the render connector. */
    private LocalConnector.LocalEndPoint send(String url, String language,
            String acceptEncoding, String renderId) {
        LocalConnector local = connector;
        if (local == null || !local.isStarted()) {
            throw new IllegalStateException("the server has not started: cannot render " + url);
        }
        StringBuilder raw = new StringBuilder(128).append("GET ").append(safe(url))
                .append(" HTTP/1.1\r\nHost: localhost\r\n");
        if (renderId != null) {
            raw.append(RENDER_HEADER).append(": ").append(renderId).append("\r\n");
        }
        if (language != null) {
            raw.append("Accept-Language: ").append(safe(language)).append("\r\n");
        }
        if (acceptEncoding != null) {
            raw.append("Accept-Encoding: ").append(acceptEncoding).append("\r\n");
        }
        return local.executeRequest(raw.append("Connection: close\r\n\r\n").toString());
    }

    /** {@code value}, refused if it could end a line of the request (it never should). */
    private static String safe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c == 0x7F) {
                throw new IllegalArgumentException("not a request target or header value: "
                        + value);
            }
        }
        return value;
    }

    private static String statusLine(ByteBuffer response) {
        String head = StandardCharsets.ISO_8859_1.decode(response.duplicate()).toString();
        int end = head.indexOf('\r');
        return end < 0 ? head : head.substring(0, end);
    }
}
