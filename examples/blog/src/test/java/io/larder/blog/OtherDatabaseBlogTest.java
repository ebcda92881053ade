package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.QueryMode;
import io.larder.blog.cache.StoreKind;
import io.larder.blog.seed.Seeder;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache folder remembers which database it belongs to: the blog's data folder keeps its cache
 * (default tiered store) and its embedded H2 file; replace that file with another blog's
 * database and start again: the pages are the new database's, not the cached ones.
 */
class OtherDatabaseBlogTest {
    @TempDir
    Path dir;

    @Test
    void cacheFolderOfAnotherDatabase_isNeverServed() throws Exception {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        String cachedHome;
        try (BlogServer server = start(first, 7)) {
            cachedHome = new Http(server.url()).html("/en/");
            assertThat(new Http(server.url()).html("/en/")).isEqualTo(cachedHome);
        }
        String otherHome;
        try (BlogServer server = start(second, 8)) {
            otherHome = new Http(server.url()).html("/en/");
        }
        assertThat(otherHome).as("two different data sets").isNotEqualTo(cachedHome);

        Files.copy(second.resolve("blog.mv.db"), first.resolve("blog.mv.db"),
                StandardCopyOption.REPLACE_EXISTING);

        try (BlogServer server = start(first, 7)) {
            assertThat(new Http(server.url()).html("/en/"))
                    .as("the home page on the first cache folder, the second database")
                    .isEqualTo(otherHome);
        }
    }

    private static BlogServer start(Path data, long seed) throws Exception {
        BlogConfig config = new BlogConfig("127.0.0.1", 0, data, null, "sa", "", null,
                CacheMode.PAGE, QueryMode.ORM, StoreKind.TIERED, null,
                new Seeder.Size(40, 100, seed), TestDb.ADMIN_PASSWORD);
        return BlogServer.start(config, new PrintStream(OutputStream.nullOutputStream()));
    }
}
