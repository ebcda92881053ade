package io.larder.blog.web;

/**
 * A rendered part of a page: the main column's HTML and the page title it implies.
 *
 * @param title the page's title
 * @param html the rendered HTML
 */
public record Fragment(String title, String html) { }
