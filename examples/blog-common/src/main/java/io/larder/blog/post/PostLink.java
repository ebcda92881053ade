package io.larder.blog.post;

/**
 * A link to a post (related and popular posts).
 *
 * @param id the post's id
 * @param title the title
 * @param slug the URL name
 */
public record PostLink(long id, String title, String slug) { }
