package io.larder.blog.post;

import java.util.List;

/**
 * One page of a post list.
 *
 * @param heading what the list is (a tag's name, a month), empty for the home page
 * @param posts the posts, at most {@link #SIZE}
 * @param page the page number, from 1
 * @param pages the number of pages, at least 1
 */
public record PostPage(String heading, List<PostSummary> posts, int page, int pages) {
    /** Posts per page. */
    public static final int SIZE = 10;

    /** The number of pages for {@code total} posts: at least 1. */
    public static int pagesFor(long total) {
        return (int) Math.max(1, (total + SIZE - 1) / SIZE);
    }
}
