package io.larder.servlet;

import io.larder.Key;
import io.larder.http.WarmQueue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Renders the pages registered for warming when the filter starts, and again right after an
 * invalidation touches one of them (its key, its region, or a tag it was built from), through
 * the core's {@link WarmQueue} (a few daemon threads, so that visitors are never starved; a page
 * is re-warmed once however many invalidations touch it while it waits). What is the servlet
 * filter's own is which pages there are (each URL under the context path, once per combination
 * of keyed-header values) and how one is warmed: by {@link PageLoads#warm}, not rendered when it
 * is stored and fresh.
 */
final class Warmer {
    private final PageLoads loads;
    private final List<Supplier<? extends Collection<String>>> sources;
    private final List<List<String>> variants;
    private final WarmQueue<PageTarget> queue;

    /**
     * @param variants the raw values of the keyed headers to warm each URL with, one list per
     *     combination (in the filter's {@code vary} order)
     */
    Warmer(PageLoads loads, List<Supplier<? extends Collection<String>>> sources,
            List<List<String>> variants, int concurrency) {
        this.loads = loads;
        this.sources = List.copyOf(sources);
        this.variants = List.copyOf(variants);
        this.queue = new WarmQueue<>("larder-page-warm", concurrency, Double.POSITIVE_INFINITY,
                this::warm);
    }

    /**
     * The raw keyed-header values to warm each URL with, one list per combination of the values
     * in {@code warmHeaders} (by lower-case name; a header without values is absent).
     */
    static List<List<String>> variants(List<KeyedHeader> keyed,
            Map<String, List<String>> warmHeaders) {
        List<List<String>> variants = new ArrayList<>();
        variants.add(new ArrayList<>());
        for (KeyedHeader header : keyed) {
            List<String> values = warmHeaders.getOrDefault(
                    header.name().toLowerCase(Locale.ROOT), Collections.singletonList(null));
            List<List<String>> next = new ArrayList<>();
            for (List<String> variant : variants) {
                for (String value : values) {
                    List<String> more = new ArrayList<>(variant);
                    more.add(value);
                    next.add(more);
                }
            }
            variants = next;
        }
        return variants;
    }

    /** Collects the URLs to warm (under {@code contextPath}) and queues them all. */
    void start(String contextPath) {
        Set<String> baseTags = loads.baseTags();
        for (Supplier<? extends Collection<String>> source : sources) {
            for (String url : source.get()) {
                for (List<String> headers : variants) {
                    PageTarget page = PageTarget.parse(contextPath, url, loads.query(),
                            loads.keyed(), headers);
                    queue.add(page.key(loads.region()), page, baseTags);
                }
            }
        }
        queue.start();
    }

    /** Records the tags a render of {@code key} picked up, to know which invalidations touch it. */
    void learn(Key key, Rendered rendered) {
        queue.learn(key, rendered.read().keySet(), rendered.named());
    }

    /** The queue: to stop it, await it, and give it the larder's invalidations. */
    WarmQueue<?> queue() {
        return queue;
    }

    /**
     * Warms one page unless it is stored and fresh; why not, if its render was refused or
     * failed (the core kept no page, counted the failure and logged it).
     */
    private String warm(Key key, PageTarget page) {
        try {
            loads.warm(key, page);
            return null;
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return cause.toString();
        }
    }
}
