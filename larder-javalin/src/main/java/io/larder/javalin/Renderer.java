package io.larder.javalin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
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

/**
 * Renders a page without a visitor's request, for background refresh and warming: it asks this
 * server for the page's URL over loopback with a secret header, and the page's handler answers
 * with the captured page as JSON instead of serving it. The re-render sees only the page's key
 * (path, allowlisted query, language as {@code Accept-Language}) and no cookies, so it is
 * anonymous by construction and runs through the application's real before-handlers and routes.
 */
final class Renderer {
    static final String RENDER_HEADER = "X-Larder-Render";
    static final String RENDERED_HEADER = "X-Larder-Rendered";

    private final String token;
    private final byte[] tokenBytes;
    private final Duration timeout;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final HttpClient client;
    private volatile String base;

    Renderer(Duration timeout) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        this.tokenBytes = token.getBytes(StandardCharsets.US_ASCII);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).build();
    }

    /** Where re-render requests go, for example {@code http://127.0.0.1:7070}; set at start. */
    void base(String base) {
        this.base = base;
    }

    boolean isRenderRequest(Context ctx) {
        String header = ctx.header(RENDER_HEADER);
        return header != null && MessageDigest.isEqual(
                header.getBytes(StandardCharsets.US_ASCII), tokenBytes);
    }

    /** Renders {@code request}'s page by asking this server for it. */
    Rendered render(PageRequest request) throws IOException, InterruptedException {
        String root = base;
        if (root == null) {
            throw new IllegalStateException("the server has not started: cannot re-render "
                    + request.url());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(root + request.url()))
                .timeout(timeout).header(RENDER_HEADER, token).GET();
        if (request.language() != null) {
            builder.header("Accept-Language", request.language());
        }
        HttpResponse<byte[]> response = client.send(builder.build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200
                || response.headers().firstValue(RENDERED_HEADER).isEmpty()) {
            return Rendered.refused("the re-render of " + request.url() + " answered "
                    + response.statusCode());
        }
        return json.readValue(response.body(), Rendered.class);
    }

    byte[] encode(Rendered rendered) throws IOException {
        return json.writeValueAsBytes(rendered);
    }
}
