package io.larder.blog.post;

import io.larder.blog.tag.TagRef;
import io.larder.blog.web.NotFoundException;
import java.util.Comparator;

/** Rules both query implementations share, so that they produce identical pages. */
final class Listing {
    /** Tags are shown by name, then slug, in Java's order (never the database's collation). */
    static final Comparator<TagRef> TAG_ORDER =
            Comparator.comparing(TagRef::name).thenComparing(TagRef::slug);

    private Listing() {
    }

    /** The number of pages for {@code total} posts. @throws NotFoundException if page is past it */
    static int checkPage(long total, int page) {
        int pages = PostPage.pagesFor(total);
        if (page < 1 || page > pages) {
            throw new NotFoundException("no page " + page);
        }
        return pages;
    }
}
