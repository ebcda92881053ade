package io.larder.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;
import io.javalin.Javalin;
import io.javalin.compression.Brotli;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.larder.Larder;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A site whose Javalin compression strategy has Brotli (brotli4j) and gzip: a cached page is
 * compressed once per coding when stored, and served in the coding the client prefers, on the
 * ordinary path and on the fast path alike, each coding with its own entity tag, decoding to the
 * identity bytes exactly; HEAD and 304 follow the selected coding.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrotliPageTest {
    private static final String BODY = "<h1>brotli</h1>" + "<p>Larder keeps pages.</p>\n".repeat(300);

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger renders = new AtomicInteger();
    private Larder larder;
    private LarderPlugin plugin;
    private Javalin app;

    @BeforeAll
    void start() {
        Brotli4jLoader.ensureAvailability();
        larder = Larder.builder().build();
        plugin = new LarderPlugin(cfg -> cfg.larder(larder).fastPath(true)
                .anonymousWhen(ctx -> ctx.cookie("session") == null));
        app = Javalin.create(config -> {
            config.http.compressionStrategy = new CompressionStrategy(new Brotli(), new Gzip());
            config.registerPlugin(plugin);
            config.routes.get("/page", plugin.page(Page.ttl(Duration.ofMinutes(5)), ctx -> {
                renders.incrementAndGet();
                ctx.html(BODY);
            }));
        }).start("127.0.0.1", 0);
    }

    @AfterAll
    void stop() {
        app.stop();
        larder.close();
    }

    private HttpResponse<byte[]> send(String method, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.port() + "/page"))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] unbrotli(byte[] bytes) throws Exception {
        DirectDecompress result = Decoder.decompress(bytes);
        assertThat(result.getResultStatus()).isEqualTo(DecoderJNI.Status.DONE);
        return result.getDecompressedData();
    }

    private static byte[] gunzip(byte[] bytes) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    @Test
    void eachCoding_decodesToTheIdentityBytes_withItsOwnTag_onBothPaths() throws Exception {
        byte[] identity = BODY.getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> plain = send("GET", "Accept-Encoding", "identity");
        String plainTag = plain.headers().firstValue("ETag").orElseThrow();
        assertThat(plain.body()).isEqualTo(identity);
        String stem = plainTag.substring(0, plainTag.length() - 1);
        int rendered = renders.get();
        for (boolean fast : List.of(true, false)) {
            String[] cookie = fast ? new String[0] : new String[] {"Cookie", "theme=dark"};
            long answered = plugin.front().answered();

            HttpResponse<byte[]> br = send("GET", concat(cookie, "Accept-Encoding",
                    "gzip, deflate, br"));
            HttpResponse<byte[]> gzip = send("GET", concat(cookie, "Accept-Encoding",
                    "gzip, br;q=0.5"));

            assertThat(plugin.front().answered()).isEqualTo(answered + (fast ? 2 : 0));
            assertThat(br.headers().firstValue("Content-Encoding")).hasValue("br");
            assertThat(unbrotli(br.body())).isEqualTo(identity);
            assertThat(br.body().length).isLessThan(gzip.body().length);
            assertThat(br.headers().firstValue("ETag")).hasValue(stem + "-br\"");
            assertThat(br.headers().firstValue("Content-Length"))
                    .hasValue(String.valueOf(br.body().length));
            assertThat(br.headers().firstValue("Vary").orElseThrow()).contains("Accept-Encoding");
            assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(gunzip(gzip.body())).isEqualTo(identity);
            assertThat(gzip.headers().firstValue("ETag")).hasValue(stem + "-gzip\"");

            HttpResponse<byte[]> head = send("HEAD", concat(cookie, "Accept-Encoding", "br"));
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValue("Content-Length"))
                    .hasValue(String.valueOf(br.body().length));
            HttpResponse<byte[]> notModified = send("GET", concat(cookie, "Accept-Encoding", "br",
                    "If-None-Match", stem + "-br\""));
            assertThat(notModified.statusCode()).isEqualTo(304);
            assertThat(notModified.body()).isEmpty();
            HttpResponse<byte[]> otherCoding = send("GET", concat(cookie, "Accept-Encoding",
                    "gzip", "If-None-Match", stem + "-br\""));
            assertThat(otherCoding.statusCode()).isEqualTo(200);
        }
        assertThat(renders.get()).as("compressed once, when stored: no render per coding")
                .isEqualTo(rendered);
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = new String[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
