package io.larder.blog.sidebar;

import io.larder.blog.tag.TagCount;
import java.util.Comparator;

/** Orders both implementations apply in Java, so that they never depend on a collation. */
final class Ordering {
    static final Comparator<TagCount> TAGS =
            Comparator.comparing(TagCount::name).thenComparing(TagCount::slug);
    static final Comparator<ArchiveMonth> MONTHS = Comparator.comparingInt(ArchiveMonth::year)
            .thenComparingInt(ArchiveMonth::month).reversed();
    static final int RECENT = 5;
    static final int POPULAR = 5;

    private Ordering() {
    }
}
