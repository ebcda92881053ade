package io.larder.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Larder;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServerTimingFilterTest {
    private final Larder larder = Larder.builder().build();
    private TestSite site;

    @BeforeEach
    void start() throws Exception {
        site = new TestSite(larder, PageCacheFilter.builder(larder).build());
    }

    @AfterEach
    void close() throws Exception {
        site.close();
        larder.close();
    }

    @Test
    void everyResponse_carriesTheTraceOfItsRequest_asTheJavalinModuleFormatsIt() {
        String miss = site.get("/posts").headers().firstValue("Server-Timing").orElseThrow();
        String hit = site.get("/posts").headers().firstValue("Server-Timing").orElseThrow();
        String error = site.get("/nothing").headers().firstValue("Server-Timing").orElseThrow();

        assertThat(miss).matches("total;dur=\\d+\\.\\d{3}, db;desc=\"1 query\";dur=\\d+\\.\\d{3}, "
                + "template;desc=\"0 renders\";dur=0\\.000, cache\\.posts;desc=\"miss\";dur=.*")
                .contains("cache.page;desc=\"miss\"");
        assertThat(hit).contains("cache.page;desc=\"hit\"", "db;desc=\"0 queries\"")
                .doesNotContain("cache.posts");
        assertThat(error).startsWith("total;dur=");
    }

    @Test
    void aResponseThatCommitsEarly_getsTheHeaderBeforeItsFirstByte() {
        HttpResponse<byte[]> streamed = site.get("/stream", "Authorization", "Bearer x");

        assertThat(streamed.body()).hasSize(128 * 1024);
        assertThat(streamed.headers().firstValue("Server-Timing")).hasValueSatisfying(
                t -> assertThat(t).contains("cache.posts;desc=\"miss\""));
    }
}
