package io.larder.blog.post;

import io.larder.blog.tag.TagRef;
import java.util.List;

/**
 * One post in a list (home, tag or archive page), in one language.
 *
 * @param id the post's id
 * @param title the title
 * @param slug the URL name
 * @param author the author's display name
 * @param date the publication date, {@code yyyy-MM-dd}
 * @param summaryHtml the summary rendered from Markdown
 * @param tags the post's tags, by name
 * @param comments the number of approved comments on this translation
 */
public record PostSummary(long id, String title, String slug, String author, String date,
        String summaryHtml, List<TagRef> tags, long comments) { }
