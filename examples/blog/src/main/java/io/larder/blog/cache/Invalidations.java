package io.larder.blog.cache;

import io.larder.Larder;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Every invalidation the admin's changes cause, in one place (larder-hibernate will derive them
 * from committed entities later). Each names exactly the tags of the entries a change affects.
 */
public final class Invalidations {
    private final Larder larder;

    /** Invalidations in {@code larder}. */
    public Invalidations(Larder larder) {
        this.larder = larder;
    }

    /** The text (title, summary, body) of post {@code postId} in {@code lang} changed. */
    public void translationEdited(long postId, String lang) {
        larder.invalidateTag(CacheTags.post(postId, lang));
    }

    /**
     * Post {@code postId} was published or unpublished: it enters or leaves the lists of its
     * languages, tags and month, and the column's counts.
     */
    public void visibilityChanged(long postId, Collection<String> langs,
            Collection<String> tagSlugs, YearMonth month) {
        List<String> tags = new ArrayList<>();
        for (String lang : langs) {
            tags.add(CacheTags.post(postId, lang));
            tags.add(CacheTags.homeList(lang));
            tags.add(CacheTags.monthList(month, lang));
            tags.add(CacheTags.sidebarCounts(lang));
            tags.add(CacheTags.sidebarComments(lang));
            for (String slug : tagSlugs) {
                tags.add(CacheTags.tagList(slug, lang));
            }
        }
        larder.invalidateTags(tags);
    }

    /** A comment on post {@code postId} in {@code lang} was approved: counts and lists change. */
    public void commentApproved(long postId, String lang) {
        larder.invalidateTags(List.of(CacheTags.post(postId, lang),
                CacheTags.sidebarComments(lang)));
    }
}
