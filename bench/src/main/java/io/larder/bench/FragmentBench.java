package io.larder.bench;

import io.larder.Larder;
import io.larder.pebble.LarderExtension;
import io.larder.store.MemoryStore;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.MemoryLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A home page with a 10-post list (links, author, date, escaped excerpt, tags) rendered by Pebble:
 * with the list in a {@code {% cache %}} block that hits, with the same template and caching
 * switched off for the render, and from the same template without the tag at all.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar FragmentBench -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 * Figure: {@code cachedList ÷ noTag} (aim ≤ 0.2). On a busy machine, {@link #main} gives the
 * same ratio in CPU time.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FragmentBench {
    static final String PAGE = """
            <!DOCTYPE html>
            <html lang="{{ lang }}">
            <head><title>{{ title }}</title><link rel="stylesheet" href="/site.css"></head>
            <body>
            <header><nav>{% for item in nav %}<a href="{{ item.href }}">{{ item.label }}</a>\
            {% endfor %}</nav></header>
            <main>
            {% cache "home-posts" lang page tags=["posts", "lang:" ~ lang] %}
            {% for post in posts %}
            <article id="post-{{ post.id }}">
              <h2><a href="/{{ lang }}/posts/{{ post.slug }}">{{ post.title }}</a></h2>
              <p class="meta">by {{ post.author }} on {{ post.published | date("d MMMM yyyy") }},
                {{ post.comments }} comments</p>
              <div class="excerpt">{{ post.excerpt | abbreviate(200) }}</div>
              <ul class="tags">{% for tag in post.tags %}<li><a href="/tags/{{ tag | lower }}">\
            {{ tag }}</a></li>{% endfor %}</ul>
            </article>
            {% endfor %}
            {% endcache %}
            </main>
            <footer>&copy; {{ year }} {{ title }}, signed in as {{ user }}</footer>
            </body>
            </html>
            """;

    /** One post as the list shows it. */
    public record PostView(long id, String slug, String title, String author, LocalDate published,
            int comments, String excerpt, List<String> tags) { }

    private Larder larder;
    private PebbleTemplate cached;
    private PebbleTemplate plain;
    private Map<String, Object> model;
    private Map<String, Object> switchedOff;

    @Setup
    public void setUp() throws IOException {
        larder = Larder.builder().store(MemoryStore.builder().maximumSize(10_000).build())
                .ttl(Duration.ofHours(1)).build();
        MemoryLoader loader = new MemoryLoader();
        loader.addTemplate("home.peb", PAGE);
        loader.addTemplate("home-plain.peb", PAGE
                .replaceAll("\\{% cache [^%]*%}\\n", "").replace("{% endcache %}\n", ""));
        PebbleEngine engine = new PebbleEngine.Builder().loader(loader)
                .extension(LarderExtension.builder(larder).build()).build();
        cached = engine.getTemplate("home.peb");
        plain = engine.getTemplate("home-plain.peb");

        List<PostView> posts = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            posts.add(new PostView(i, "post-" + i, "Caching <pages> & fragments, part " + i,
                    "Author " + (i % 3), LocalDate.of(2026, 1, i), i * 3,
                    "The home page took 150 ms, most of it in ORM queries and template rendering"
                            + " of the post list; \"measure, measure, measure\" & then cache. " + i,
                    List.of("Java", "Caching", "Pebble")));
        }
        model = new HashMap<>();
        model.put("lang", "en");
        model.put("page", 1);
        model.put("title", "Larder blog");
        model.put("year", 2026);
        model.put("user", "reader");
        model.put("posts", posts);
        model.put("nav", List.of(Map.of("href", "/", "label", "Home"),
                Map.of("href", "/archive", "label", "Archive"),
                Map.of("href", "/about", "label", "About")));
        switchedOff = new HashMap<>(model);
        switchedOff.put(LarderExtension.ENABLED_VARIABLE, false);

        String warm = render(cached, model);
        String off = render(cached, switchedOff);
        String none = render(plain, model);
        if (!warm.equals(off) || !warm.equals(none) || !warm.contains("Author 2")) {
            throw new IllegalStateException("the three pages differ:\n" + warm + "\n---\n" + none);
        }
    }

    @TearDown
    public void tearDown() {
        larder.close();
    }

    /** The page with the post list served from the fragment cache. */
    @Benchmark
    public String cachedList() throws IOException {
        return render(cached, model);
    }

    /** The same template with caching switched off for the render. */
    @Benchmark
    public String switchedOff() throws IOException {
        return render(cached, switchedOff);
    }

    /** The page from a template without the cache tag. */
    @Benchmark
    public String noTag() throws IOException {
        return render(plain, model);
    }

    /**
     * The same three renders timed by this thread's CPU time rather than the wall clock, for a
     * figure that holds on a busy machine: {@code java -cp bench/target/benchmarks.jar
     * io.larder.bench.FragmentBench}.
     */
    public static void main(String[] args) throws IOException {
        FragmentBench bench = new FragmentBench();
        bench.setUp();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        int ops = 20_000;
        for (int round = 1; round <= 6; round++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                bench.cachedList();
            }
            long t1 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                bench.switchedOff();
            }
            long t2 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                bench.noTag();
            }
            long t3 = cpu.getCurrentThreadCpuTime();
            System.out.printf(Locale.ROOT, "round %d (CPU us/op): cachedList %.2f,"
                    + " switchedOff %.2f, noTag %.2f, cachedList / noTag %.3f%n", round,
                    (t1 - t0) / 1e3 / ops, (t2 - t1) / 1e3 / ops, (t3 - t2) / 1e3 / ops,
                    (double) (t1 - t0) / (t3 - t2));
        }
        bench.tearDown();
    }

    private static String render(PebbleTemplate template, Map<String, Object> model)
            throws IOException {
        StringWriter out = new StringWriter(8192);
        template.evaluate(out, model, Locale.ENGLISH);
        return out.toString();
    }
}
