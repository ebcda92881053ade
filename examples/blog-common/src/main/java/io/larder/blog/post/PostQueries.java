package io.larder.blog.post;

import java.time.YearMonth;

/**
 * Reads the post pages' content; each call uses its own connection or EntityManager, so calls
 * may run on any thread. Pages past the last one, unknown tags and slugs throw
 * {@link io.larder.blog.web.NotFoundException}.
 */
public interface PostQueries {
    /** Page {@code page} (from 1) of published posts in {@code lang}, newest first. */
    PostPage home(String lang, int page);

    /** Page {@code page} of published posts in {@code lang} tagged {@code tagSlug}. */
    PostPage byTag(String lang, String tagSlug, int page);

    /** Page {@code page} of published posts in {@code lang} of {@code month}. */
    PostPage byMonth(String lang, YearMonth month, int page);

    /** The published post {@code slug} in {@code lang}. */
    PostDetail post(String lang, String slug);
}
