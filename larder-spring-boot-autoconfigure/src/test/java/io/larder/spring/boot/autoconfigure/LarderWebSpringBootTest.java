package io.larder.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.aayushatharva.brotli4j.decoder.Decoder;
import io.larder.http.HttpCaching;
import io.larder.spring.boot.autoconfigure.webapp.WebApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * The web auto-configuration in a real Spring MVC + Thymeleaf application on a random port,
 * under a context path: the page filter (hits, privacy, Brotli), the Server-Timing filter, and
 * the dialect, whose cached blocks resolve context-relative links and {@code ${param.x}}.
 */
@SpringBootTest(classes = WebApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.servlet.context-path=/app",
            "spring.datasource.url=jdbc:h2:mem:larder-web-test;DB_CLOSE_DELAY=-1",
            "larder.web.page.enabled=true",
            "larder.web.page.url-patterns=/pages/*",
            "larder.web.page.tags=pages",
            "larder.web.page.gzip-min-bytes=0",
            "larder.web.page.brotli-quality=5",
            "larder.web.server-timing.enabled=true"
        })
class LarderWebSpringBootTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    WebApp app;
    @Autowired
    Environment environment;

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port")
                + "/app" + path);
    }

    @Test
    void cachedBlock_resolvesContextRelativeLinks_andParams_rendersOncePerKey() throws Exception {
        HttpResponse<String> first = get("/fragment?q=cats");
        assertThat(first.statusCode()).isEqualTo(200);
        String nav = first.body().substring(first.body().indexOf("<nav"),
                first.body().indexOf("</nav>"));
        assertThat(nav).contains("href=\"/app/posts?page=2\"").contains("<span>cats</span>");
        assertThat(first.body()).contains("outside: <a href=\"/app/posts?page=2\">");
        int blocks = app.blocks();

        HttpResponse<String> second = get("/fragment?q=cats");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(app.blocks()).isEqualTo(blocks);

        assertThat(get("/fragment?q=dogs").body()).contains("<span>dogs</span>");
        assertThat(app.blocks()).isEqualTo(blocks + 1);
    }

    @Test
    void cachedBlock_seesNoSession_soAVisitorsNameNeverEntersIt() throws Exception {
        String cookie = login();
        HttpResponse<String> own = get("/fragment?q=private", "Cookie", cookie);
        String nav = own.body().substring(own.body().indexOf("<nav"),
                own.body().indexOf("</nav>"));
        assertThat(nav).contains("<i></i>").doesNotContain("admin");
        assertThat(get("/fragment?q=private").body()).doesNotContain("admin");
    }

    private String login() throws Exception {
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=admin")).build(),
                HttpResponse.BodyHandlers.ofString());
        return login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    @Test
    void pageFilter_servesAnonymousPagesFromTheCache_withETagAndServerTiming() throws Exception {
        HttpResponse<String> first = get("/pages/greet");
        assertThat(first.body()).contains("Hello, stranger");
        int renders = app.renders();
        HttpResponse<String> second = get("/pages/greet");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(app.renders()).isEqualTo(renders);
        String etag = second.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/pages/greet", "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(second.headers().firstValue("Server-Timing").orElseThrow())
                .contains("total;dur=");
    }

    @Test
    void pageFilter_sendsTheStoredBrotliForm_withItsOwnETag_whenBrotli4jIsThere()
            throws Exception {
        HttpResponse<String> identity = get("/pages/greet");
        HttpResponse<byte[]> br = bytes("/pages/greet", "Accept-Encoding", "gzip, br");
        HttpResponse<byte[]> refused = bytes("/pages/greet", "Accept-Encoding", "br;q=0");

        String etag = identity.headers().firstValue("ETag").orElseThrow();
        assertThat(br.headers().firstValue("Content-Encoding")).hasValue("br");
        assertThat(new String(Decoder.decompress(br.body()).getDecompressedData(),
                StandardCharsets.UTF_8)).isEqualTo(identity.body());
        assertThat(br.headers().firstValue("ETag")).hasValue(HttpCaching.tagged(etag, "br"));
        assertThat(br.headers().firstValue("Vary").orElseThrow()).contains("Accept-Encoding");
        assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(refused.headers().firstValue("ETag")).hasValue(etag);
    }

    private HttpResponse<byte[]> bytes(String path, String... headers) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).headers(headers)
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void pageFilter_aLoggedInVisitorsPage_neverReachesAnotherVisitor() throws Exception {
        String cookie = login();

        assertThat(get("/pages/greet", "Cookie", cookie).body()).contains("Hello, admin");
        assertThat(get("/pages/greet").body()).contains("Hello, stranger")
                .doesNotContain("admin");
        assertThat(get("/pages/greet", "Cookie", cookie).body()).contains("Hello, admin");
        assertThat(get("/pages/greet").body()).doesNotContain("admin");
    }

    @Test
    void pageFilter_neverStoresAResponseThatSetsACookie() throws Exception {
        get("/pages/cookie");
        int renders = app.renders();
        HttpResponse<String> again = get("/pages/cookie");
        assertThat(again.headers().firstValue("Set-Cookie")).isPresent();
        assertThat(app.renders()).isEqualTo(renders + 1);
    }
}
