package io.larder.blog.post;

import io.larder.blog.comment.CommentView;
import io.larder.blog.tag.TagRef;
import java.util.List;

/**
 * A post page's content in one language.
 *
 * @param id the post's id
 * @param title the title
 * @param slug the URL name
 * @param author the author's display name
 * @param date the publication date, {@code yyyy-MM-dd}
 * @param bodyHtml the body rendered from Markdown
 * @param tags the post's tags, by name
 * @param comments the approved comments, oldest first
 * @param related published posts sharing the most tags with this one, at most 5
 */
public record PostDetail(long id, String title, String slug, String author, String date,
        String bodyHtml, List<TagRef> tags, List<CommentView> comments, List<PostLink> related) { }
