package io.larder.thymeleaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.larder.FragmentKeys;
import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.Trace;
import io.larder.TypeRef;
import io.larder.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.thymeleaf.exceptions.TemplateProcessingException;

/** The {@code larder:cache} attribute, test for test as larder-pebble's {@code CacheTagTest}. */
class CacheAttributeTest {
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
        String first = pages.render("simple", Map.of("who", "World"));
        String second = pages.render("simple", Map.of("who", "Someone else"));

        assertThat(first).isEqualTo("<p><span>hello World</span></p>\n");
        assertThat(second).isEqualTo(first);
        assertThat(pages.probe.count("simple")).isEqualTo(1);
    }

    @Test
    void ttl_blockIsFreshUntilItsTtlThenRendersAgain() {
        assertThat(pages.render("ttl", Map.of("value", "a"))).isEqualTo("a\n");

        clock.advance(Duration.ofSeconds(299));
        assertThat(pages.render("ttl", Map.of("value", "b"))).isEqualTo("a\n");
        assertThat(pages.probe.count("ttl")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        assertThat(pages.render("ttl", Map.of("value", "b"))).isEqualTo("b\n");
        assertThat(pages.probe.count("ttl")).isEqualTo(2);
        assertThat(refreshes).isEmpty();
    }

    @Test
    void staleHit_servesStaleAndRefreshesOnAnotherThreadFromASnapshotOfTheRender()
            throws Exception {
        pages.render("stale-loop", Map.of("posts", Pages.posts("A", "B", "C")));
        Map<String, Object> edited = Map.of("posts", Pages.posts("A2", "B2", "C2"));
        clock.advance(Duration.ofSeconds(61));

        String stale = pages.render("stale-loop", edited);

        assertThat(stale).contains("<li>0/3 A</li>", "<li>2/3 C</li>");
        assertThat(pages.probe.count("item")).isEqualTo(3);
        assertThat(refreshes).hasSize(3);

        // The render above has finished and its iteration moved on. The refreshes now run on
        // another thread and must still see each block's own values.
        Set<Thread> renderedOn = ConcurrentHashMap.newKeySet();
        pages.probe.onCount = () -> renderedOn.add(Thread.currentThread());
        Thread refresher = new Thread(() -> refreshes.forEach(Runnable::run), "refresher");
        refresher.start();
        refresher.join();

        assertThat(renderedOn).containsExactly(refresher);
        assertThat(pages.probe.count("item")).isEqualTo(6);
        String refreshed = pages.render("stale-loop", edited);
        assertThat(refreshed).contains("<li>0/3 A2</li>", "<li>1/3 B2</li>", "<li>2/3 C2</li>");
        assertThat(refreshed).isEqualTo(pages.renderUncached("stale-loop", edited));
    }

    @Test
    void staleHit_whoseBackgroundRenderFails_keepsServingTheStaleHtml() throws Exception {
        String first = pages.render("stale-loop", Map.of("posts", Pages.posts("A", "B")));
        List<Map<String, Object>> broken = List.of(Map.of("id", 1, "title", new Boom()),
                Map.of("id", 2, "title", new Boom()));
        clock.advance(Duration.ofSeconds(61));

        assertThat(pages.render("stale-loop", Map.of("posts", broken))).isEqualTo(first);
        Thread refresher = new Thread(() -> refreshes.forEach(Runnable::run));
        refresher.start();
        refresher.join();

        assertThat(refreshes).hasSize(2);
        assertThat(pages.render("stale-loop", Map.of("posts", broken))).isEqualTo(first);
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
            pages.render("vary", model(v));
        }
        assertThat(pages.probe.count("vary")).isEqualTo(6);

        for (Object[] v : variants) {
            assertThat(pages.render("vary", model(v)))
                    .isEqualTo(pages.renderUncached("vary", model(v)));
        }
        assertThat(pages.probe.count("vary")).isEqualTo(6 + 6);
    }

    @Test
    void varyOn_theRenderLocaleIsPartOfTheKeyUnlessTheDialectIgnoresIt() {
        Map<String, Object> model = model(new Object[] {"x", 1, true});
        pages.render("vary", model, Locale.ENGLISH);
        pages.render("vary", model, Locale.GERMAN);
        assertThat(pages.probe.count("vary")).isEqualTo(2);
        assertThat(larder.getIfPresent(FragmentKeys.of("vary", Locale.GERMAN, "x", 1, true),
                String.class)).contains("x|1|true");

        Larder shared = Larder.builder().build();
        Pages noLocale = new Pages(LarderDialect.builder(shared).varyOnLocale(false).build());
        noLocale.render("vary", model, Locale.ENGLISH);
        noLocale.render("vary", model, Locale.GERMAN);
        assertThat(noLocale.probe.count("vary")).isEqualTo(1);
        assertThat(shared.getIfPresent(FragmentKeys.of("vary", null, "x", 1, true), String.class))
                .contains("x|1|true");
    }

    @Test
    void varyOn_anObjectWithoutAStableStringForm_isATemplateErrorWithTemplateAndLine() {
        Map<String, Object> model = model(new Object[] {"x", new Object(), true});

        assertThatThrownBy(() -> pages.render("vary", model))
                .isInstanceOfSatisfying(TemplateProcessingException.class, e -> {
                    assertThat(e.getTemplateName()).isEqualTo("vary");
                    assertThat(e.getLine()).isEqualTo(1);
                })
                .hasMessageContaining("no stable string form");
    }

    @Test
    void tags_invalidatingATagRendersOnlyTheBlocksWrittenUnderIt() {
        Map<String, Object> de = home("de", 1);
        Map<String, Object> en = home("en", 1);
        pages.render("home", de);
        pages.render("home", en);

        larder.invalidateTag("lang:de");
        pages.render("home", de);
        pages.render("home", en);
        assertThat(pages.probe.count("home-posts")).isEqualTo(3);

        larder.invalidateTag("posts");
        pages.render("home", de);
        pages.render("home", en);
        assertThat(pages.probe.count("home-posts")).isEqualTo(5);
    }

    @Test
    void fragmentKeys_addressOneVariantAndTheRegionAddressesAll() {
        pages.render("home", home("de", 1));
        pages.render("home", home("de", 2));

        assertThat(larder.getIfPresent(FragmentKeys.of("home-posts", Locale.ENGLISH, "de", 1),
                String.class)).hasValueSatisfying(html -> assertThat(html)
                        .contains("<h2>de page 1</h2>"));

        larder.invalidate(FragmentKeys.of("home-posts", Locale.ENGLISH, "de", 1));
        pages.render("home", home("de", 1));
        pages.render("home", home("de", 2));
        assertThat(pages.probe.count("home-posts")).isEqualTo(3);

        larder.invalidateRegion(FragmentKeys.region("home-posts"));
        pages.render("home", home("de", 1));
        pages.render("home", home("de", 2));
        assertThat(pages.probe.count("home-posts")).isEqualTo(5);
        assertThat(larder.stats()).containsKey("fragment.home-posts");
    }

    @Test
    void nested_outerBlockRerendersFromCachedInnerBlocks() {
        Map<String, Object> model = Map.of("page", 1, "posts", Pages.posts("a", "b", "c"));
        String first = pages.render("nested", model);
        assertThat(pages.probe.count("list")).isEqualTo(1);
        assertThat(pages.probe.count("post")).isEqualTo(3);

        larder.invalidateTag("list");
        assertThat(pages.render("nested", model)).isEqualTo(first);
        assertThat(pages.probe.count("list")).isEqualTo(2);
        assertThat(pages.probe.count("post")).isEqualTo(3);

        // The outer block read the inner ones, so it carries their tags too.
        larder.invalidateTag("post:2");
        Map<String, Object> edited = Map.of("page", 1, "posts", Pages.posts("a", "B!", "c"));
        String after = pages.render("nested", edited);
        assertThat(after).contains("<li>a</li>", "<li>B!</li>", "<li>c</li>");
        assertThat(pages.probe.count("list")).isEqualTo(3);
        assertThat(pages.probe.count("post")).isEqualTo(4);
    }

    @Test
    void aCachedQueryReadInsideABlock_invalidatesTheBlockByItsTag() {
        Repo repo = new Repo(larder);
        Map<String, Object> model = Map.of("repo", repo);
        assertThat(pages.render("query", model)).contains("<span>first</span>");
        pages.render("query", model);
        assertThat(pages.probe.count("sidebar")).isEqualTo(1);

        repo.titles.set(0, "edited");
        larder.invalidateTag("titles");

        assertThat(pages.render("query", model)).contains("<span>edited</span>");
        assertThat(pages.probe.count("sidebar")).isEqualTo(2);
        assertThat(repo.loads.get()).isEqualTo(2);
    }

    @Test
    void perRenderSwitch_rendersEveryBlockWithoutReadingOrWritingTheCache() {
        pages.renderUncached("simple", Map.of("who", "a"));
        Map<String, Object> off = new HashMap<>(Map.of("who", "b"));
        off.put(LarderDialect.ENABLED_VARIABLE, "false");
        assertThat(pages.render("simple", off)).isEqualTo("<p><span>hello b</span></p>\n");
        assertThat(pages.probe.count("simple")).isEqualTo(2);
        assertThat(larder.getIfPresent(FragmentKeys.of("simple", Locale.ENGLISH), String.class))
                .isEmpty();

        pages.render("simple", Map.of("who", "c"));
        assertThat(pages.renderUncached("simple", Map.of("who", "d")))
                .isEqualTo("<p><span>hello d</span></p>\n");
        assertThat(pages.render("simple", Map.of("who", "e")))
                .isEqualTo("<p><span>hello c</span></p>\n");
        assertThat(pages.probe.count("simple")).isEqualTo(4);
    }

    @Test
    void escaping_cachedHtmlIsEscapedExactlyOnce_andItsTextIsNeverInlinedAgain() {
        Map<String, Object> model = Map.of("html", "<b>\"Tom\" & 'Jerry'</b>",
                "evil", "[[${secret}]] [(${secret})]", "secret", "S3CRET");
        String escaped = "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;";
        String expected = "<p>" + escaped + "</p>|<p><b>\"Tom\" & 'Jerry'</b></p>|<b title=\""
                + escaped + "\">" + escaped + "</b>\n"
                + "<p>[[${secret}]] [(${secret})]</p><p>[[${secret}]] [(${secret})]</p>\n";

        assertThat(pages.render("escape", model)).isEqualTo(expected);
        assertThat(pages.render("escape", model)).isEqualTo(expected);
        assertThat(pages.renderUncached("escape", model)).isEqualTo(expected);
    }

    @Test
    void templateErrorInsideABlock_isReportedWithTemplateAndLineAndNotCached() {
        Map<String, Object> model = Map.of("post", Map.of("title", "t"));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> pages.render("error", model))
                    .isInstanceOfSatisfying(TemplateProcessingException.class, e -> {
                        assertThat(e.getTemplateName()).isEqualTo("error");
                        assertThat(e.getLine()).isEqualTo(3);
                    });
        }
        assertThat(larder.getIfPresent(FragmentKeys.of("broken", Locale.ENGLISH), String.class))
                .isEmpty();
        Map<String, Object> good = Map.of("post", Map.of("missing", Map.of("title", "ok")));
        assertThat(pages.render("error", good)).isEqualTo("<div>\n\n  <span>ok</span>\n</div>\n");
    }

    @Test
    void aBlockThatIncludesItselfWithTheSameKey_isATemplateErrorNotAHang() {
        assertThatThrownBy(() -> pages.render("recursive", Map.of("depth", 1)))
                .isInstanceOfSatisfying(TemplateProcessingException.class, e ->
                        assertThat(e.getTemplateName()).isEqualTo("recursive"))
                .hasMessageContaining("asked for");
    }

    @Test
    void dynamicNameTtlStaleAndTags_areEvaluatedPerRender() {
        Map<String, Object> model = new HashMap<>(Map.of("name", "dyn", "n", 1,
                "seconds", Duration.ofSeconds(10), "staleSeconds", 0.5, "tag", List.of("t")));
        pages.render("dynamic", model);
        pages.render("dynamic", model);
        assertThat(pages.probe.count("dyn")).isEqualTo(1);
        assertThat(larder.stats()).containsKey("fragment.dyn-x");

        larder.invalidateTag("t");
        pages.render("dynamic", model);
        assertThat(pages.probe.count("dyn")).isEqualTo(2);

        clock.advance(Duration.ofSeconds(11));
        pages.render("dynamic", model);
        assertThat(pages.probe.count("dyn")).isEqualTo(3);

        model.put("seconds", -5);
        assertThatThrownBy(() -> pages.render("dynamic", model))
                .isInstanceOfSatisfying(TemplateProcessingException.class,
                        e -> assertThat(e.getLine()).isEqualTo(1))
                .hasMessageContaining("ttl must be positive, was PT-5S");
        model.put("seconds", "soon");
        assertThatThrownBy(() -> pages.render("dynamic", model))
                .hasMessageContaining("ttl must be a number of seconds or a Duration, was soon");
        model.put("seconds", 10);
        model.put("name", "no spaces allowed");
        assertThatThrownBy(() -> pages.render("dynamic", model))
                .isInstanceOf(TemplateProcessingException.class)
                .hasMessageContaining("fragment name must be");
    }

    @Test
    void fragmentsSelectionTargetsAndLocalVariables_renderAsWithoutTheCache() {
        Map<String, Object> model = Map.of("who", "<you>", "post", Pages.post(2, "T<2>"));
        String expected = "<div><span>Hello &lt;you&gt;!</span></div>\n"
                + "<div><span>T&lt;2&gt;</span> <i>big</i></div>\n<em>Hi &lt;you&gt;</em>\n";

        assertThat(pages.render("insert", model)).isEqualTo(expected);
        assertThat(pages.render("insert", model)).isEqualTo(expected);
        assertThat(larder.getIfPresent(FragmentKeys.of("sel", Locale.ENGLISH, 2), String.class))
                .contains("<div><span>T&lt;2&gt;</span> <i>big</i></div>");
        assertThat(larder.getIfPresent(FragmentKeys.of("with", Locale.ENGLISH, "Hi <you>"),
                String.class)).contains("<em>Hi &lt;you&gt;</em>");
    }

    @Test
    void trace_recordsEachBlockAsAFragmentSpanWithItsOutcome() {
        try (Trace trace = Trace.begin()) {
            pages.render("simple", Map.of("who", "a"));
            pages.render("simple", Map.of("who", "a"));
            pages.renderUncached("simple", Map.of("who", "a"));

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

    /** A title that fails to print: its block's render fails. */
    record Boom() {
        @Override
        public String toString() {
            throw new IllegalStateException("boom");
        }
    }

    /** A value object with a stable string form. */
    record Slug(String value) { }

    /** Titles through the query cache, tagged {@code titles}, counting its loads. */
    public static final class Repo {
        final List<String> titles = new CopyOnWriteArrayList<>(List.of("first", "second"));
        final AtomicInteger loads = new AtomicInteger();
        private final Larder larder;

        Repo(Larder larder) {
            this.larder = larder;
        }

        /** The titles, cached. */
        public List<String> titles() {
            return larder.get(Key.of("titles"), new TypeRef<List<String>>() { },
                    Options.tags("titles"), () -> {
                        loads.incrementAndGet();
                        return List.copyOf(titles);
                    });
        }
    }
}
