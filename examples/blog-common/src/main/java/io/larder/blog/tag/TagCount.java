package io.larder.blog.tag;

/**
 * A tag with the number of published posts in one language that carry it (the tag cloud).
 *
 * @param name the tag's name
 * @param slug the tag's URL name
 * @param count the number of posts
 */
public record TagCount(String name, String slug, long count) { }
