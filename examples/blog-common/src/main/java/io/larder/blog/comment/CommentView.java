package io.larder.blog.comment;

/**
 * An approved comment as shown under a post.
 *
 * @param author the commenter's name
 * @param date when it was written, {@code yyyy-MM-dd HH:mm}
 * @param body the plain text
 */
public record CommentView(String author, String date, String body) { }
