package io.larder.blog.web;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a public page shows, read only when the template asks for it: inside a
 * {@code {% cache %}} block that hits, nothing is queried. Each part is read at most once per
 * render. Templates read {@code page.title}, {@code page.main} and {@code page.sidebar}.
 */
public final class LazyPage {
    private final Once<String> title;
    private final Once<Object> main;
    private final Once<Object> sidebar;

    /**
     * A page whose title, main content (a post list or a post) and column come from these;
     * {@code onMain} and {@code onSidebar} see the value at every read (to tag the cache load
     * under way, which may be another fragment than the one that first read it).
     */
    public LazyPage(Supplier<String> title, Supplier<?> main, Consumer<Object> onMain,
            Supplier<?> sidebar, Consumer<Object> onSidebar) {
        this.title = new Once<>(title, v -> { });
        this.main = new Once<>(main, onMain);
        this.sidebar = new Once<>(sidebar, onSidebar);
    }

    /**
     * The page's title. Reads the main content first, so that a page that does not exist (a page
     * number past the last, an unknown month) fails here and no title is cached for it.
     */
    public String getTitle() {
        main.get();
        return title.get();
    }

    /** The main column's data: a {@code PostPage} or a {@code PostDetail}. */
    public Object getMain() {
        return main.get();
    }

    /** The right-hand column's data. */
    public Object getSidebar() {
        return sidebar.get();
    }

    private static final class Once<T> {
        private final Supplier<? extends T> supplier;
        private final Consumer<? super T> onRead;
        private T value;
        private boolean done;

        Once(Supplier<? extends T> supplier, Consumer<? super T> onRead) {
            this.supplier = supplier;
            this.onRead = onRead;
        }

        T get() {
            T v;
            synchronized (this) {
                if (!done) {
                    value = supplier.get();
                    done = true;
                }
                v = value;
            }
            onRead.accept(v);
            return v;
        }
    }
}
