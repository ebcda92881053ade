package io.larder.blog.sidebar;

import io.larder.blog.comment.RecentComment;
import io.larder.blog.post.PostLink;
import io.larder.blog.tag.TagCount;
import java.util.List;

/**
 * The right-hand column of every page, in one language.
 *
 * @param tags the tag cloud, by name
 * @param archive post counts by month, newest first
 * @param recentComments the latest approved comments
 * @param popular the most read posts
 */
public record Sidebar(List<TagCount> tags, List<ArchiveMonth> archive,
        List<RecentComment> recentComments, List<PostLink> popular) { }
