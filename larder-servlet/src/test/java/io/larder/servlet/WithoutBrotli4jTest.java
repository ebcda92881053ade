package io.larder.servlet;

import static io.larder.servlet.PageCacheFilterTest.gunzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.larder.Larder;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The filter as an application without brotli4j runs it: the build's {@code without-brotli4j}
 * test run leaves the optional dependency off the class path (elsewhere this test is skipped).
 * Pages are stored and served in gzip only, with no error, and that is said once at INFO, not
 * per filter or per request.
 */
class WithoutBrotli4jTest {
    @Test
    void withoutBrotli4j_pagesAreGzipOnly_andTheLogSaysSoOnce() throws Exception {
        assumeThat(onClassPath("com.aayushatharva.brotli4j.Brotli4jLoader"))
                .as("run by the without-brotli4j execution, which leaves brotli4j out").isFalse();
        Logger log = (Logger) LoggerFactory.getLogger(Brotli.class);
        log.setLevel(Level.INFO);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        log.addAppender(events);
        try (Larder larder = Larder.builder().build()) {
            for (String region : new String[] {"page", "other"}) {
                try (TestSite site = new TestSite(larder, PageCacheFilter.builder(larder)
                        .region(region).ttl(Duration.ofMinutes(5)).gzipMinBytes(256).build())) {
                    HttpResponse<byte[]> identity = site.get("/posts");
                    HttpResponse<byte[]> both = site.get("/posts", "Accept-Encoding",
                            "gzip, deflate, br");
                    HttpResponse<byte[]> brOnly = site.get("/posts", "Accept-Encoding", "br");

                    assertThat(both.statusCode()).isEqualTo(200);
                    assertThat(both.headers().firstValue("Content-Encoding")).hasValue("gzip");
                    assertThat(gunzip(both.body())).isEqualTo(identity.body());
                    assertThat(brOnly.headers().firstValue("Content-Encoding")).isEmpty();
                    assertThat(brOnly.body()).isEqualTo(identity.body());
                    assertThat(site.renders("/posts")).isEqualTo(1);
                }
            }
        } finally {
            log.detachAppender(events);
        }
        assertThat(events.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage()).isEqualTo("Brotli is off, cached pages are"
                    + " stored in gzip only: brotli4j is not on the class path");
        });
    }

    private static boolean onClassPath(String name) {
        try {
            Class.forName(name, false, WithoutBrotli4jTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
