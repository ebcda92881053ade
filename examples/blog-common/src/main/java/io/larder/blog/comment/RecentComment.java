package io.larder.blog.comment;

/**
 * A recent approved comment in the right-hand column.
 *
 * @param postId the commented post's id
 * @param author the commenter's name
 * @param excerpt the first words of the comment
 * @param postTitle the title of the commented post
 * @param postSlug its URL name
 */
public record RecentComment(long postId, String author, String excerpt, String postTitle,
        String postSlug) {
    /** The excerpt of {@code body}: at most 80 characters, cut at a word. */
    public static String excerpt(String body) {
        if (body.length() <= 80) {
            return body;
        }
        int cut = body.lastIndexOf(' ', 77);
        return body.substring(0, cut > 40 ? cut : 77) + "...";
    }
}
