package io.larder.servlet;

import static io.larder.servlet.PageCacheFilterTest.gunzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aayushatharva.brotli4j.decoder.Decoder;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.decoder.DirectDecompress;
import io.larder.Larder;
import io.larder.http.HttpCaching;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The filter with brotli4j on the class path, on a real Jetty: a page is stored with its Brotli
 * and gzip forms, made once when it is stored, and each request gets the coding its
 * {@code Accept-Encoding} weighs highest (Brotli on a tie), with its own entity tag, its own
 * 304, {@code Content-Length} and {@code Vary: Accept-Encoding}; every body decodes to the
 * identity bytes exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrotliPageCacheTest {
    private final Larder larder = Larder.builder().build();
    /** One site with Brotli on for every test: each page renders once for them all. */
    private TestSite site;

    private TestSite site(PageCacheFilter.Builder pages) throws Exception {
        return new TestSite(larder, pages.ttl(Duration.ofMinutes(5)).query("page")
                .gzipMinBytes(256).build());
    }

    @BeforeAll
    void start() throws Exception {
        site = site(PageCacheFilter.builder(larder));
    }

    @AfterAll
    void stop() throws Exception {
        site.close();
        larder.close();
    }

    static byte[] unbrotli(byte[] bytes) throws Exception {
        DirectDecompress result = Decoder.decompress(bytes);
        assertThat(result.getResultStatus()).isEqualTo(DecoderJNI.Status.DONE);
        return result.getDecompressedData();
    }

    private static String coding(HttpResponse<byte[]> response) {
        return response.headers().firstValue("Content-Encoding").orElse("identity");
    }

    private static String etag(HttpResponse<byte[]> response) {
        return response.headers().firstValue("ETag").orElseThrow();
    }

    @Test
    void eachCoding_decodesToTheIdentityBytes_withItsOwnTagLengthAndVary() throws Exception {
        HttpResponse<byte[]> identity = site.get("/posts");
        HttpResponse<byte[]> br = site.get("/posts", "Accept-Encoding", "gzip, deflate, br");
        HttpResponse<byte[]> gzip = site.get("/posts", "Accept-Encoding", "br;q=0.5, gzip");

        assertThat(coding(identity)).isEqualTo("identity");
        assertThat(coding(br)).isEqualTo("br");
        assertThat(coding(gzip)).isEqualTo("gzip");
        assertThat(unbrotli(br.body())).isEqualTo(identity.body());
        assertThat(gunzip(gzip.body())).isEqualTo(identity.body());
        assertThat(br.body().length).isLessThan(identity.body().length);
        assertThat(etag(br)).isEqualTo(HttpCaching.tagged(etag(identity), "br"));
        assertThat(etag(gzip)).isEqualTo(HttpCaching.tagged(etag(identity), "gzip"));
        Set<String> tags = new HashSet<>(List.of(etag(identity), etag(br), etag(gzip)));
        assertThat(tags).hasSize(3);
        for (HttpResponse<byte[]> response : List.of(identity, br, gzip)) {
            assertThat(response.headers().firstValue("Vary")).hasValue("Accept-Encoding");
            assertThat(response.headers().firstValue("Content-Length"))
                    .hasValue(Integer.toString(response.body().length));
        }
        assertThat(site.renders("/posts")).as("one render, every coding from the stored page")
                .isEqualTo(1);
    }

    @Test
    void qValues_selectTheCoding_brotliOnATie_andARefusalIsHonoured() throws Exception {
        assertThat(coding(site.get("/posts", "Accept-Encoding", "gzip, br"))).isEqualTo("br");
        assertThat(coding(site.get("/posts", "Accept-Encoding", "br;q=0.8, gzip;q=0.8")))
                .isEqualTo("br");
        assertThat(coding(site.get("/posts", "Accept-Encoding", "br;q=0.7, gzip;q=0.8")))
                .isEqualTo("gzip");
        assertThat(coding(site.get("/posts", "Accept-Encoding", "br;q=0, gzip")))
                .isEqualTo("gzip");
        assertThat(coding(site.get("/posts", "Accept-Encoding", "br;q=0, *"))).isEqualTo("gzip");
        assertThat(coding(site.get("/posts", "Accept-Encoding", "gzip;q=0, *;q=0.5")))
                .isEqualTo("br");
        assertThat(coding(site.get("/posts", "Accept-Encoding", "br;q=0, gzip;q=0")))
                .isEqualTo("identity");
        assertThat(coding(site.get("/posts", "Accept-Encoding", "deflate"))).isEqualTo("identity");
        assertThat(site.renders("/posts")).isEqualTo(1);
    }

    @Test
    void ifNoneMatch_answers304ForTheSelectedCodingOnly_andHeadSendsItsLength()
            throws Exception {
        HttpResponse<byte[]> br = site.get("/posts", "Accept-Encoding", "br");
        HttpResponse<byte[]> gzip = site.get("/posts", "Accept-Encoding", "gzip");
        String identityTag = etag(site.get("/posts"));

        HttpResponse<byte[]> brAgain = site.get("/posts", "Accept-Encoding", "br",
                "If-None-Match", etag(br));
        HttpResponse<byte[]> gzipAgain = site.get("/posts", "Accept-Encoding", "gzip",
                "If-None-Match", etag(gzip));
        HttpResponse<byte[]> brTagForGzip = site.get("/posts", "Accept-Encoding", "gzip",
                "If-None-Match", etag(br));
        HttpResponse<byte[]> identityTagForBr = site.get("/posts", "Accept-Encoding", "br",
                "If-None-Match", identityTag);
        HttpResponse<byte[]> head = site.head("/posts", "Accept-Encoding", "br");

        assertThat(brAgain.statusCode()).isEqualTo(304);
        assertThat(brAgain.body()).isEmpty();
        assertThat(etag(brAgain)).isEqualTo(etag(br));
        assertThat(gzipAgain.statusCode()).isEqualTo(304);
        assertThat(brTagForGzip.statusCode()).isEqualTo(200);
        assertThat(coding(brTagForGzip)).isEqualTo("gzip");
        assertThat(identityTagForBr.statusCode()).isEqualTo(200);
        assertThat(identityTagForBr.body()).isEqualTo(br.body());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(coding(head)).isEqualTo("br");
        assertThat(etag(head)).isEqualTo(etag(br));
        assertThat(head.headers().firstValue("Content-Length"))
                .hasValue(Integer.toString(br.body().length));
        assertThat(site.renders("/posts")).isEqualTo(1);
    }

    @Test
    void brotliOff_storesGzipOnly_andABrotliOnlyClientGetsTheIdentityBody() throws Exception {
        try (TestSite off = site(PageCacheFilter.builder(larder).region("no-br").brotli(false))) {
            HttpResponse<byte[]> identity = off.get("/posts");
            HttpResponse<byte[]> both = off.get("/posts", "Accept-Encoding", "gzip, deflate, br");
            HttpResponse<byte[]> brOnly = off.get("/posts", "Accept-Encoding", "br");

            assertThat(coding(both)).isEqualTo("gzip");
            assertThat(gunzip(both.body())).isEqualTo(identity.body());
            assertThat(coding(brOnly)).isEqualTo("identity");
            assertThat(brOnly.body()).isEqualTo(identity.body());
            assertThat(etag(brOnly)).isEqualTo(etag(identity));
            assertThat(brOnly.headers().firstValue("Vary")).hasValue("Accept-Encoding");
            assertThat(off.renders("/posts")).isEqualTo(1);
        }
    }

    @Test
    void aBodyBelowTheMinimum_isSentAsItIs_inEveryCoding() throws Exception {
        HttpResponse<byte[]> text = site.get("/text", "Accept-Encoding", "br, gzip");

        assertThat(coding(text)).isEqualTo("identity");
        assertThat(text.body()).isEqualTo(site.get("/text").body());
    }

    @Test
    void brotliQuality_outsideZeroToEleven_failsWhenSet() {
        assertThatThrownBy(() -> PageCacheFilter.builder(larder).brotliQuality(12))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("brotliQuality must be 0 to 11, was 12");
        assertThatThrownBy(() -> PageCacheFilter.builder(larder).brotliQuality(-1))
                .hasMessage("brotliQuality must be 0 to 11, was -1");
    }
}
