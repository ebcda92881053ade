package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The admin's handlers hold no cache code: what an edit makes stale follows from the entities it
 * commits (cache.EntityTags through larder-hibernate), which {@link BlogContract} checks page by
 * page. This pins that nobody adds an invalidation call back into them.
 */
class AdminCodeTest {
    private static final Path SOURCES = Path.of("src/main/java/io/larder/blog");
    /** The editors the handlers call live in the data module shared with the Spring blog. */
    private static final Path SHARED = Path.of("../blog-common/src/main/java/io/larder/blog");

    @Test
    void adminHandlers_containNoInvalidationOrCacheCode() throws IOException {
        List<Path> handlers = new ArrayList<>();
        try (Stream<Path> admin = Files.list(SOURCES.resolve("admin"))) {
            admin.forEach(handlers::add);
        }
        handlers.add(SHARED.resolve("post/PostEditor.java"));
        handlers.add(SHARED.resolve("comment/CommentModeration.java"));
        assertThat(handlers).hasSizeGreaterThanOrEqualTo(4);
        for (Path handler : handlers) {
            String code = Files.readString(handler);
            assertThat(code).as("%s", handler).doesNotContainIgnoringCase("invalidat")
                    .doesNotContain("io.larder.Larder").doesNotContain("io.larder.blog.cache.")
                    .doesNotContain("tagCurrentLoad");
        }
    }
}
