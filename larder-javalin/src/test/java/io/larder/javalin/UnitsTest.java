package io.larder.javalin;

import io.larder.Key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.larder.Trace;
import io.larder.http.ServerTiming;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts that need no server: header format, language negotiation, keys, settings. */
class UnitsTest {
    @Test
    void serverTiming_summarisesSpansByKindAndRegion_andParsesBack() {
        List<Trace.Span> spans = List.of(
                new Trace.Span("cache", "page", "miss", 5_000_000, false, 0),
                new Trace.Span("db", "q1", "", 1_500_000, false, 0),
                new Trace.Span("db", "q2", "", 500_000, false, 0),
                new Trace.Span("cache", "home-posts", "hit", 20_000, false, 0),
                new Trace.Span("cache", "home-posts", "hit", 30_000, false, 0),
                new Trace.Span("cache", "home-posts", "stale", 10_000, false, 0),
                new Trace.Span("template", "home", "", 2_000_000, false, 0),
                new Trace.Span("fragment", "sidebar", "", 250_000, false, 0));

        String header = ServerTiming.format(spans, 9_876_543);
        Map<String, Map<String, String>> parsed = ServerTimingParser.parse(header);

        assertThat(parsed.keySet()).containsExactly("total", "db", "template", "fragment",
                "cache.page", "cache.home-posts");
        assertThat(parsed.get("total").get("dur")).isEqualTo("9.876");
        assertThat(parsed.get("db")).containsEntry("dur", "2.000")
                .containsEntry("desc", "2 queries");
        assertThat(parsed.get("cache.page")).containsEntry("desc", "miss")
                .containsEntry("dur", "5.000");
        assertThat(parsed.get("cache.home-posts")).containsEntry("desc", "hit 2 stale")
                .containsEntry("dur", "0.060");
    }

    @Test
    void language_isNegotiatedByQualityAndPrimaryTag_withTheFirstAsDefault() {
        List<String> supported = List.of("en", "de", "pt-BR");
        assertThat(Languages.negotiate(null, supported)).isEqualTo("en");
        assertThat(Languages.negotiate("fr-FR, fr;q=0.9", supported)).isEqualTo("en");
        assertThat(Languages.negotiate("fr, de-AT;q=0.8, en;q=0.5", supported)).isEqualTo("de");
        assertThat(Languages.negotiate("pt-br", supported)).isEqualTo("pt-BR");
        assertThat(Languages.negotiate("de;q=0, en;q=0.1", supported)).isEqualTo("en");
        assertThat(Languages.negotiate("*", supported)).isEqualTo("en");
    }

    @Test
    void pageRequest_keepsOnlyAllowlistedParameters_andRoundTripsThroughItsKey() {
        PageRequest request = PageRequest.parse("/tags/java?utm=x&page=2&tag=a%20b&page=3",
                List.of("page", "tag"), "de");

        assertThat(request.params()).containsExactly("page=2", "page=3", "tag=a b");
        assertThat(request.url()).isEqualTo("/tags/java?page=2&page=3&tag=a+b");
        Key key = request.key("page");
        assertThat(PageRequest.of(key)).isEqualTo(request);
        assertThat(PageRequest.parse("/tags/java?page=2&page=3&tag=a+b&fbclid=1",
                List.of("page", "tag"), "de").key("page")).isEqualTo(key);
        assertThat(PageRequest.parse("/tags/java", List.of(), null).key("page"))
                .isNotEqualTo(PageRequest.parse("/tags/java", List.of(), "en").key("page"));
    }

    @Test
    void badSettings_failWhenConfigured_namingTheValue() {
        assertThatThrownBy(() -> Page.ttl(Duration.ofSeconds(-1)))
                .hasMessage("ttl must be positive, was PT-1S");
        assertThatThrownBy(() -> Page.ttl(Duration.ofMinutes(1)).staleFor(Duration.ofSeconds(-2)))
                .hasMessage("staleFor must not be negative, was PT-2S");
        assertThatThrownBy(() -> Page.regionDefaults().tags("@any"))
                .hasMessageContaining("'@any'");
        assertThatThrownBy(() -> Page.regionDefaults().warm("https://evil.example/"))
                .hasMessageContaining("https://evil.example/");
        assertThatThrownBy(() -> Page.regionDefaults().warm("//evil.example/"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LarderPlugin(cfg -> { }))
                .hasMessageContaining("cfg.larder(larder)");
        assertThatThrownBy(() -> new LarderPlugin(cfg -> cfg.warming(0, 1)))
                .hasMessage("warming concurrency must be 1-64, was 0");
        assertThatThrownBy(() -> new LarderPlugin(cfg -> cfg.languages("en_US")))
                .hasMessageContaining("'en_US'");
    }

    @Test
    void ifNoneMatch_matchesListsWeakTagsAndStar() {
        assertThat(PageHandler.matches("\"a\"", "\"a\"")).isTrue();
        assertThat(PageHandler.matches("\"b\", W/\"a\"", "\"a\"")).isTrue();
        assertThat(PageHandler.matches("*", "\"a\"")).isTrue();
        assertThat(PageHandler.matches("\"b\"", "\"a\"")).isFalse();
    }
}
