package io.larder.blog.sidebar;

/**
 * The number of published posts in one language in one month.
 *
 * @param year the year
 * @param month the month, 1-12
 * @param count the number of posts
 */
public record ArchiveMonth(int year, int month, long count) {
    /** The month as {@code yyyy-MM}. */
    public String label() {
        return String.format("%04d-%02d", year, month);
    }

    /** The archive page's path below the language, {@code archive/yyyy/MM}. */
    public String path() {
        return String.format("archive/%04d/%02d", year, month);
    }
}
