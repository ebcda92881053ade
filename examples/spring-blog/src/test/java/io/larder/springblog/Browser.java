package io.larder.springblog;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** A visitor for tests: keeps the session cookie it was given, never follows redirects. */
final class Browser {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10))
            .build();

    private final String base;
    private String session;

    Browser(String base) {
        this.base = base;
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    /** {@code GET path} with {@code Accept-Encoding: acceptEncoding}, its body as sent. */
    HttpResponse<byte[]> encoded(String path, String acceptEncoding) {
        return send(request(path).header("Accept-Encoding", acceptEncoding).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The body of a 200 to {@code GET path}. */
    String html(String path) {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " gave " + response.statusCode());
        }
        return response.body();
    }

    HttpResponse<String> post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Signs in as the seed's admin; this browser then sends the session cookie. */
    Browser signIn(String password) {
        HttpResponse<String> response = post("/admin/login",
                Map.of("username", "admin", "password", password));
        if (session == null || !response.headers().firstValue("Location").orElse("")
                .endsWith("/en/")) {
            throw new AssertionError("sign-in failed: " + response.headers().map());
        }
        return this;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60));
        if (session != null) {
            request.header("Cookie", session);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request,
            HttpResponse.BodyHandler<T> body) {
        try {
            HttpResponse<T> response = CLIENT.send(request.build(), body);
            response.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith("JSESSIONID="))
                    .findFirst().ifPresent(c -> session = c.split(";", 2)[0]);
            return response;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
