/**
 * What every web integration of Larder shares and no web framework owns: the
 * {@code Server-Timing} format of a request's trace, and the HTTP rules of cached pages (entity
 * tags, {@code If-None-Match}, content-coding negotiation, canonical request paths). Plain
 * strings and bytes, no servlet or framework types.
 */
package io.larder.http;
