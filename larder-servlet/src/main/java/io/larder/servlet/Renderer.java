package io.larder.servlet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Renders a page without a visitor's request, for stale refreshes and warming. A servlet request
 * cannot be replayed on another thread, and containers such as Jetty 12 do not dispatch a request
 * they did not make, so the renderer asks this server for the page's URL over its own origin
 * (loopback by default) with a secret made per process ({@value #HEADER}); the filter answers such
 * a request by rendering the page through the rest of the chain and sending the captured page as
 * JSON instead of serving it. The request carries the page's key and nothing else (path,
 * allowlisted query, keyed headers): no cookie, session or credentials, so it renders the
 * anonymous page by construction.
 */
final class Renderer {
    /** The request header that carries the secret. */
    static final String HEADER = "X-Larder-Render";
    /** The response header that marks a render's answer. */
    static final String RENDERED = "X-Larder-Rendered";
    /** On a render request: it refreshes a page served stale meanwhile (no visitor waits). */
    static final String REFRESH = "X-Larder-Refresh";

    private final String token;
    private final byte[] tokenBytes;
    private final Duration timeout;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final HttpClient client;
    private volatile URI origin;

    Renderer(Duration timeout) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        this.tokenBytes = token.getBytes(StandardCharsets.US_ASCII);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    /**
     * Checks that {@code origin} is a scheme, host and port and nothing more, as
     * {@link #origin(URI)} takes it.
     *
     * @throws IllegalArgumentException naming it if it has a path or query, or lacks a host
     */
    static void checkOrigin(URI origin) {
        Objects.requireNonNull(origin, "origin");
        if (origin.getScheme() == null || origin.getHost() == null
                || !(origin.getPath() == null || origin.getPath().isEmpty())
                || origin.getQuery() != null) {
            throw new IllegalArgumentException("origin must be a scheme, host and port such as"
                    + " http://127.0.0.1:8080, was '" + origin + "'");
        }
    }

    /** Where render requests go ({@code http://127.0.0.1:8080}); from then on, renders work. */
    void origin(URI origin) {
        this.origin = origin;
    }

    boolean started() {
        return origin != null;
    }

    /** Whether {@code request} is one of this renderer's (carries this process's secret). */
    boolean isRenderRequest(HttpServletRequest request) {
        String header = request.getHeader(HEADER);
        return header != null && MessageDigest.isEqual(
                header.getBytes(StandardCharsets.US_ASCII), tokenBytes);
    }

    /**
     * Whether {@code request} is one of this renderer's renders that refreshes a page served
     * stale meanwhile: no visitor waits for it (a warming render may have visitors waiting).
     */
    boolean isRefresh(HttpServletRequest request) {
        return request.getHeader(REFRESH) != null && isRenderRequest(request);
    }

    /**
     * Renders {@code target}'s page by asking this server for it; {@code keyed} names its
     * headers; {@code refresh} says it refreshes a page served stale meanwhile.
     */
    Rendered render(PageTarget target, List<KeyedHeader> keyed, boolean refresh)
            throws IOException, InterruptedException {
        URI root = origin;
        if (root == null) {
            throw new IllegalStateException("the page cache has not started: cannot render "
                    + target.url());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(root.resolve(target.url()))
                .timeout(timeout).header(HEADER, token).GET();
        if (refresh) {
            builder.header(REFRESH, "1");
        }
        for (int i = 0; i < keyed.size(); i++) {
            String value = target.headers().get(i);
            if (value != null) {
                builder.header(keyed.get(i).name(), value);
            }
        }
        HttpResponse<byte[]> response = client.send(builder.build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200 || response.headers().firstValue(RENDERED).isEmpty()) {
            return Rendered.refused("the render request for " + target.url() + " answered "
                    + response.statusCode() + " without a render", null);
        }
        return json.readValue(response.body(), Rendered.class);
    }

    byte[] encode(Rendered rendered) throws IOException {
        return json.writeValueAsBytes(rendered);
    }
}
