package io.larder.blog.cache;

import io.larder.Key;
import io.larder.Larder;
import io.larder.blog.web.Content;
import io.larder.blog.web.Fragment;
import java.time.YearMonth;

/**
 * The fragment cache, as in the original: the rendered post list (or post) and the rendered
 * column are cached as HTML. A loader queries and renders on its own connection; the tags the
 * queries put on the load go with the fragment.
 */
final class FragmentContent implements Content {
    private final Larder larder;
    private final Content rendered;

    FragmentContent(Larder larder, Content rendered) {
        this.larder = larder;
        this.rendered = rendered;
    }

    @Override
    public Fragment home(String lang, int page) {
        return larder.get(Key.of("home-html", lang, page), Fragment.class,
                () -> rendered.home(lang, page));
    }

    @Override
    public Fragment tag(String lang, String slug, int page) {
        return larder.get(Key.of("tag-html", lang, slug, page), Fragment.class,
                () -> rendered.tag(lang, slug, page));
    }

    @Override
    public Fragment month(String lang, YearMonth month, int page) {
        return larder.get(Key.of("month-html", lang, month, page), Fragment.class,
                () -> rendered.month(lang, month, page));
    }

    @Override
    public Fragment post(String lang, String slug) {
        return larder.get(Key.of("post-html", lang, slug), Fragment.class,
                () -> rendered.post(lang, slug));
    }

    @Override
    public String sidebar(String lang) {
        return larder.get(Key.of("sidebar-html", lang), String.class,
                () -> rendered.sidebar(lang));
    }
}
