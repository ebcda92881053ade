package io.larder.blog.tag;

/**
 * A tag as shown on a post.
 *
 * @param name the tag's name
 * @param slug the tag's URL name
 */
public record TagRef(String name, String slug) { }
