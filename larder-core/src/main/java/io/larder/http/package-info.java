/**
 * What every web integration of Larder shares and no web framework owns: the
 * {@code Server-Timing} format of a request's trace, the HTTP rules of cached pages (entity
 * tags, {@code If-None-Match}, content-coding negotiation, canonical request paths, the URLs of
 * pages to warm), the queue that warms pages ({@link io.larder.http.WarmQueue}), and purges at
 * the HTTP caches in front. Plain strings and bytes, no servlet or framework types.
 */
package io.larder.http;
