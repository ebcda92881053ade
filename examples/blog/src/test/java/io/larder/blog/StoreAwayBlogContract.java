package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.StoreKind;
import io.larder.testing.Soak;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression (issue 22, as a new user found it): the blog served on the default tiered store,
 * stopped, restarted with {@code --store memory} for one edit, stopped, restarted with the
 * default store: the file store on disk never heard of the edit and served the old title as a
 * hit. Now the edit is in the database's invalidation log, and the file store catches up with
 * it before the server starts. Page, fragment and query modes; 0 stale responses.
 */
abstract class StoreAwayBlogContract {
    @TempDir
    Path dir;

    abstract TestDb open() throws Exception;

    @Test
    void editMadeWhileTheFileStoreWasNotAttached_isSeenWhenItComesBack() throws Exception {
        int rounds = Soak.rounds(2, 20);
        List<String> stale = new ArrayList<>();
        int pagesChecked = 0;
        try (TestDb db = open()) {
            for (CacheMode mode : List.of(CacheMode.PAGE, CacheMode.FRAGMENT, CacheMode.QUERY)) {
                Path data = dir.resolve(mode.name().toLowerCase());
                BlogEdits post;
                try (BlogServer tiered = BlogNode.start(db, data, mode, StoreKind.TIERED)) {
                    post = BlogEdits.firstPost(tiered);
                    post.readAll(tiered);
                }
                for (int round = 0; round < rounds; round++) {
                    String title;
                    try (BlogServer memory = BlogNode.start(db, data, mode, StoreKind.MEMORY)) {
                        title = post.edit(memory, "Edited while away " + mode + " " + round);
                    }
                    try (BlogServer tiered = BlogNode.start(db, data, mode, StoreKind.TIERED)) {
                        for (String page : post.stale(tiered, title)) {
                            stale.add(mode + " " + page);
                        }
                        pagesChecked += post.pages.size();
                        post.readAll(tiered); // cached again, for the next round's edit
                    }
                }
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("editsWhileAway", 3 * rounds);
        counts.put("pagesChecked", pagesChecked);
        counts.put("staleResponses", stale.size());
        Soak.report("blog-edit-while-store-away-" + getClass().getSimpleName()
                .replace("StoreAwayBlogTest", "").toLowerCase(), counts);
        assertThat(stale).as("pages showing the old title").isEmpty();
    }
}
