package io.larder.pebble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.larder.FragmentKeys;
import io.larder.Larder;
import io.larder.Trace;
import io.larder.testing.FakeClock;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.ParserException;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.loader.StringLoader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CacheTagTest {
    private final FakeClock clock = new FakeClock();
    private final List<Runnable> refreshes = new CopyOnWriteArrayList<>();
    private final Larder larder = Larder.builder().clock(clock).refreshExecutor(refreshes::add)
            .build();
    private final Pages pages = new Pages(larder);

    @AfterEach
    void close() {
        larder.close();
    }

    @Test
    void missThenHit_bodyRendersOnceAndTheHitInsertsTheSameHtml() {
        String first = pages.render("simple.peb", Map.of("who", "World"));
        String second = pages.render("simple.peb", Map.of("who", "Someone else"));

        assertThat(first).isEqualTo("<p>hello World</p>\n");
        assertThat(second).isEqualTo(first);
        assertThat(pages.probe.count("simple")).isEqualTo(1);
    }

    @Test
    void ttl_blockIsFreshUntilItsTtlThenRendersAgain() {
        assertThat(pages.render("ttl.peb", Map.of("value", "a"))).isEqualTo("a");

        clock.advance(Duration.ofSeconds(299));
        assertThat(pages.render("ttl.peb", Map.of("value", "b"))).isEqualTo("a");
        assertThat(pages.probe.count("ttl")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        assertThat(pages.render("ttl.peb", Map.of("value", "b"))).isEqualTo("b");
        assertThat(pages.probe.count("ttl")).isEqualTo(2);
        assertThat(refreshes).isEmpty();
    }

    @Test
    void staleHit_servesStaleAndRefreshesOnAnotherThreadFromASnapshotOfTheRender()
            throws Exception {
        pages.render("stale-loop.peb", Map.of("posts", Pages.posts("A", "B", "C")));
        Map<String, Object> edited = Map.of("posts", Pages.posts("A2", "B2", "C2"));
        clock.advance(Duration.ofSeconds(61));

        String stale = pages.render("stale-loop.peb", edited);

        assertThat(stale).contains("<li>0/3 A</li>", "<li>2/3 C</li>");
        assertThat(pages.probe.count("item")).isEqualTo(3);
        assertThat(refreshes).hasSize(3);

        // The render above has finished: its loop moved on and its scopes were popped. The
        // refreshes now run on another thread and must still see each block's own values.
        Set<Thread> renderedOn = ConcurrentHashMap.newKeySet();
        pages.probe.onCount = () -> renderedOn.add(Thread.currentThread());
        Thread refresher = new Thread(() -> refreshes.forEach(Runnable::run), "refresher");
        refresher.start();
        refresher.join();

        assertThat(renderedOn).containsExactly(refresher);
        assertThat(pages.probe.count("item")).isEqualTo(6);
        String refreshed = pages.render("stale-loop.peb", edited);
        assertThat(refreshed).contains("<li>0/3 A2</li>", "<li>1/3 B2</li>", "<li>2/3 C2</li>");
        assertThat(refreshed).isEqualTo(pages.renderUncached("stale-loop.peb", edited));
    }

    @Test
    void staleHit_whoseBackgroundRenderFails_keepsServingTheStaleHtml() throws Exception {
        String first = pages.render("stale-loop.peb", Map.of("posts", Pages.posts("A", "B")));
        List<Map<String, Object>> broken = List.of(Map.of("id", 1), Map.of("id", 2));
        clock.advance(Duration.ofSeconds(61));

        assertThat(pages.render("stale-loop.peb", Map.of("posts", broken))).isEqualTo(first);
        Thread refresher = new Thread(() -> refreshes.forEach(Runnable::run));
        refresher.start();
        refresher.join();

        assertThat(refreshes).hasSize(2);
        assertThat(pages.render("stale-loop.peb", Map.of("posts", broken))).isEqualTo(first);
        assertThat(larder.stats().get("fragment.item").loadFailures()).isEqualTo(2);
    }

    @Test
    void varyOn_stringsNumbersBooleansNullAndObjectsMakeDistinctEntries() {
        List<Object[]> variants = new ArrayList<>();
        variants.add(new Object[] {"x", 1, true});
        variants.add(new Object[] {"x", 1, false});
        variants.add(new Object[] {"x", 2L, true});
        variants.add(new Object[] {"x", null, true});
        variants.add(new Object[] {"x", "null", true});
        variants.add(new Object[] {new Slug("x"), 1, true});
        for (Object[] v : variants) {
            pages.render("vary.peb", model(v));
        }
        assertThat(pages.probe.count("vary")).isEqualTo(6);

        for (Object[] v : variants) {
            assertThat(pages.render("vary.peb", model(v)))
                    .isEqualTo(pages.renderUncached("vary.peb", model(v)));
        }
        assertThat(pages.probe.count("vary")).isEqualTo(6 + 6);
    }

    @Test
    void varyOn_theRenderLocaleIsPartOfTheKeyUnlessTheExtensionIgnoresIt() {
        Map<String, Object> model = model(new Object[] {"x", 1, true});
        pages.render("vary.peb", model, Locale.ENGLISH);
        pages.render("vary.peb", model, Locale.GERMAN);
        assertThat(pages.probe.count("vary")).isEqualTo(2);
        assertThat(larder.getIfPresent(FragmentKeys.of("vary", Locale.GERMAN, "x", 1, true),
                String.class)).contains("x|1|true");

        Larder shared = Larder.builder().build();
        Pages noLocale = new Pages(LarderExtension.builder(shared).varyOnLocale(false).build());
        noLocale.render("vary.peb", model, Locale.ENGLISH);
        noLocale.render("vary.peb", model, Locale.GERMAN);
        assertThat(noLocale.probe.count("vary")).isEqualTo(1);
        assertThat(shared.getIfPresent(FragmentKeys.of("vary", null, "x", 1, true), String.class))
                .contains("x|1|true");
    }

    @Test
    void varyOn_anObjectWithoutAStableStringForm_isATemplateErrorWithFileAndLine() {
        Map<String, Object> model = model(new Object[] {"x", new Object(), true});

        assertThatThrownBy(() -> pages.render("vary.peb", model))
                .isInstanceOfSatisfying(PebbleException.class, e -> {
                    assertThat(e.getFileName()).isEqualTo("vary.peb");
                    assertThat(e.getLineNumber()).isEqualTo(1);
                })
                .hasMessageContaining("no stable string form");
    }

    @Test
    void tags_invalidatingATagRendersOnlyTheBlocksWrittenUnderIt() {
        Map<String, Object> de = home("de", 1);
        Map<String, Object> en = home("en", 1);
        pages.render("home.peb", de);
        pages.render("home.peb", en);

        larder.invalidateTag("lang:de");
        pages.render("home.peb", de);
        pages.render("home.peb", en);
        assertThat(pages.probe.count("home-posts")).isEqualTo(3);

        larder.invalidateTag("posts");
        pages.render("home.peb", de);
        pages.render("home.peb", en);
        assertThat(pages.probe.count("home-posts")).isEqualTo(5);
    }

    @Test
    void fragmentKeys_addressOneVariantAndTheRegionAddressesAll() {
        pages.render("home.peb", home("de", 1));
        pages.render("home.peb", home("de", 2));

        assertThat(larder.getIfPresent(FragmentKeys.of("home-posts", Locale.ENGLISH, "de", 1),
                String.class)).hasValueSatisfying(html -> assertThat(html)
                        .contains("<h2>de page 1</h2>"));

        larder.invalidate(FragmentKeys.of("home-posts", Locale.ENGLISH, "de", 1));
        pages.render("home.peb", home("de", 1));
        pages.render("home.peb", home("de", 2));
        assertThat(pages.probe.count("home-posts")).isEqualTo(3);

        larder.invalidateRegion(FragmentKeys.region("home-posts"));
        pages.render("home.peb", home("de", 1));
        pages.render("home.peb", home("de", 2));
        assertThat(pages.probe.count("home-posts")).isEqualTo(5);
        assertThat(larder.stats()).containsKey("fragment.home-posts");
    }

    @Test
    void nested_outerBlockRerendersFromCachedInnerBlocks() {
        Map<String, Object> model = Map.of("page", 1, "posts", Pages.posts("a", "b", "c"));
        String first = pages.render("nested.peb", model);
        assertThat(pages.probe.count("list")).isEqualTo(1);
        assertThat(pages.probe.count("post")).isEqualTo(3);

        larder.invalidateTag("list");
        assertThat(pages.render("nested.peb", model)).isEqualTo(first);
        assertThat(pages.probe.count("list")).isEqualTo(2);
        assertThat(pages.probe.count("post")).isEqualTo(3);

        // The outer block read the inner ones, so it carries their tags too.
        larder.invalidateTag("post:2");
        Map<String, Object> edited = Map.of("page", 1, "posts", Pages.posts("a", "B!", "c"));
        String after = pages.render("nested.peb", edited);
        assertThat(after).contains("<li>a</li>", "<li>B!</li>", "<li>c</li>");
        assertThat(pages.probe.count("list")).isEqualTo(3);
        assertThat(pages.probe.count("post")).isEqualTo(4);
    }

    @Test
    void perRenderSwitch_rendersEveryBlockWithoutReadingOrWritingTheCache() {
        pages.renderUncached("simple.peb", Map.of("who", "a"));
        Map<String, Object> off = new HashMap<>(Map.of("who", "b"));
        off.put(LarderExtension.ENABLED_VARIABLE, "false");
        assertThat(pages.render("simple.peb", off)).isEqualTo("<p>hello b</p>\n");
        assertThat(pages.probe.count("simple")).isEqualTo(2);
        assertThat(larder.getIfPresent(FragmentKeys.of("simple", Locale.ENGLISH), String.class))
                .isEmpty();

        pages.render("simple.peb", Map.of("who", "c"));
        assertThat(pages.renderUncached("simple.peb", Map.of("who", "d")))
                .isEqualTo("<p>hello d</p>\n");
        assertThat(pages.render("simple.peb", Map.of("who", "e"))).isEqualTo("<p>hello c</p>\n");
        assertThat(pages.probe.count("simple")).isEqualTo(4);
    }

    @Test
    void autoescape_cachedHtmlIsEscapedExactlyOnceUnderEachStrategy() {
        Map<String, Object> model = Map.of("html", "<b>\"Tom\" & 'Jerry'</b>");
        String expected = "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;"
                + "|<b>\"Tom\" & 'Jerry'</b>|<i>literal</i>"
                + "|&lt;B&gt;&quot;TOM&quot; &amp; &#39;JERRY&#39;&lt;/B&gt;"
                + "<b>\"Tom\" & 'Jerry'</b>"
                + "<b>\\\"Tom\\\" \\x26 \\'Jerry\\'<\\/b>";

        assertThat(pages.render("escape.peb", model)).isEqualTo(expected);
        assertThat(pages.render("escape.peb", model)).isEqualTo(expected);
        assertThat(pages.renderUncached("escape.peb", model)).isEqualTo(expected);
    }

    @Test
    void templateErrorInsideABlock_isReportedWithFileAndLineAndNotCached() {
        Map<String, Object> model = Map.of("post", Map.of("title", "t"));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> pages.render("error.peb", model))
                    .isInstanceOfSatisfying(PebbleException.class, e -> {
                        assertThat(e.getFileName()).isEqualTo("error.peb");
                        assertThat(e.getLineNumber()).isEqualTo(3);
                    });
        }
        Map<String, Object> good = Map.of("post", Map.of("missing", Map.of("title", "ok")));
        assertThat(pages.render("error.peb", good)).isEqualTo("<div>\n  ok</div>\n");
    }

    @Test
    void aBlockThatIncludesItselfWithTheSameKey_isATemplateErrorNotAHang() {
        assertThatThrownBy(() -> pages.render("recursive.peb", Map.of("depth", 1)))
                .isInstanceOfSatisfying(PebbleException.class, e -> {
                    assertThat(e.getFileName()).isEqualTo("recursive.peb");
                    assertThat(e.getLineNumber()).isEqualTo(1);
                })
                .hasMessageContaining("asked for");
    }

    @Test
    void dynamicNameTtlStaleAndTags_areEvaluatedPerRender() {
        Map<String, Object> model = new HashMap<>(Map.of("name", "dyn", "n", 1,
                "seconds", Duration.ofSeconds(10), "staleSeconds", 0.5, "tag", List.of("t")));
        pages.render("dynamic.peb", model);
        pages.render("dynamic.peb", model);
        assertThat(pages.probe.count("dyn")).isEqualTo(1);
        assertThat(larder.stats()).containsKey("fragment.dyn-x");

        larder.invalidateTag("t");
        pages.render("dynamic.peb", model);
        assertThat(pages.probe.count("dyn")).isEqualTo(2);

        clock.advance(Duration.ofSeconds(11));
        pages.render("dynamic.peb", model);
        assertThat(pages.probe.count("dyn")).isEqualTo(3);

        model.put("seconds", -5);
        assertThatThrownBy(() -> pages.render("dynamic.peb", model))
                .isInstanceOfSatisfying(PebbleException.class,
                        e -> assertThat(e.getLineNumber()).isEqualTo(1))
                .hasMessageContaining("ttl must be positive, was PT-5S");
        model.put("seconds", 10);
        model.put("name", "no spaces allowed");
        assertThatThrownBy(() -> pages.render("dynamic.peb", model))
                .isInstanceOf(PebbleException.class)
                .hasMessageContaining("fragment name must be");
    }

    @Test
    void badTags_failWhenTheTemplateCompiles() {
        PebbleEngine engine = new PebbleEngine.Builder().loader(new StringLoader())
                .extension(LarderExtension.builder(larder).build()).build();
        assertParseError(engine, "{% cache \"x\" foo=1 %}{% endcache %}", "unknown option 'foo'");
        assertParseError(engine, "{% cache \"bad name\" %}{% endcache %}", "fragment name must be");
        assertParseError(engine, "{% cache \"x\" ttl=0 %}{% endcache %}",
                "ttl must be positive, was PT0S");
        assertParseError(engine, "{% cache \"x\" ttl=1 ttl=2 %}{% endcache %}", "given twice");
        assertParseError(engine, "{% cache \"x\" ttl=1 a %}{% endcache %}", "must come before");
    }

    private static void assertParseError(PebbleEngine engine, String template, String message) {
        assertThatThrownBy(() -> engine.getTemplate(template).evaluate(new StringWriter()))
                .isInstanceOf(ParserException.class)
                .hasMessageContaining(message)
                .hasMessageContaining(":1)");
    }

    @Test
    void setInsideABlock_staysInsideIt_onAMissAHitAndWithCachingOff() {
        // On a hit the body does not run, so its assignments cannot leak; they never do.
        assertThat(pages.render("scope.peb", Map.of())).isEqualTo("inner|outer");
        assertThat(pages.render("scope.peb", Map.of())).isEqualTo("inner|outer");
        assertThat(pages.renderUncached("scope.peb", Map.of())).isEqualTo("inner|outer");
    }

    @Test
    void trace_recordsEachBlockAsAFragmentSpanWithItsOutcome() {
        try (Trace trace = Trace.begin()) {
            pages.render("simple.peb", Map.of("who", "a"));
            pages.render("simple.peb", Map.of("who", "a"));
            pages.renderUncached("simple.peb", Map.of("who", "a"));

            assertThat(trace.spans()).filteredOn(s -> s.kind().equals("fragment"))
                    .extracting(Trace.Span::name, Trace.Span::outcome)
                    .containsExactly(tuple("simple", "miss"), tuple("simple", "hit"),
                            tuple("simple", ""));
        }
    }

    private static Map<String, Object> model(Object[] v) {
        Map<String, Object> model = new HashMap<>();
        model.put("a", v[0]);
        model.put("b", v[1]);
        model.put("c", v[2]);
        return model;
    }

    private static Map<String, Object> home(String lang, int page) {
        return Map.of("lang", lang, "page", page, "posts", Pages.posts("one", "two"));
    }

    /** A value object with a stable string form. */
    record Slug(String value) { }
}
