package io.larder.blog.cache;

import io.larder.Larder;
import io.larder.spi.Store;
import io.larder.blog.post.PostQueries;
import io.larder.blog.sidebar.SidebarQueries;
import io.larder.blog.web.Content;
import io.larder.blog.web.RenderedContent;
import io.larder.blog.web.Views;
import io.larder.store.MemoryStore;
import java.nio.file.Path;
import java.time.Duration;

/** Builds the cache and wires the chosen {@link CacheMode} around the queries: one place. */
public final class Caching {
    private Caching() {
    }

    /** A {@link Larder} on a store of {@code kind}, its files (if any) under {@code dir}. */
    public static Larder larder(StoreKind kind, Path dir) {
        Store store = switch (kind) {
            case MEMORY -> MemoryStore.builder().maximumSize(50_000).build();
            case FILE, TIERED -> throw new IllegalArgumentException("--store " + kind.name()
                    .toLowerCase() + " needs FileStore, not yet in larder-core; use --store memory");
        };
        return Larder.builder().store(store).ttl(Duration.ofMinutes(10))
                .staleFor(Duration.ofHours(1)).build();
    }

    /** The page content for {@code mode}: plain, query-cached or fragment-cached. */
    public static Content content(CacheMode mode, Larder larder, PostQueries posts,
            SidebarQueries sidebar, Views views) {
        return switch (mode) {
            case OFF -> new RenderedContent(posts, sidebar, views);
            case QUERY -> {
                CachedQueries cached = new CachedQueries(larder, new TaggedQueries(posts, sidebar));
                yield new RenderedContent(cached, cached, views);
            }
            case FRAGMENT -> {
                TaggedQueries tagged = new TaggedQueries(posts, sidebar);
                yield new FragmentContent(larder, new RenderedContent(tagged, tagged, views));
            }
            case PAGE -> throw new IllegalArgumentException("--cache page needs larder-javalin's"
                    + " page cache, which is not available yet; use off, query or fragment");
        };
    }
}
