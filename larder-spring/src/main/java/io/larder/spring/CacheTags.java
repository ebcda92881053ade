package io.larder.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Tags the entries a cached method writes ({@code @Cacheable}, {@code @CachePut}): each value is
 * a SpEL expression over the method's arguments ({@code #id}, {@code #p0}, {@code #root.args})
 * giving a tag, or a collection or array of tags. {@code larder.invalidateTag("post:42")} or
 * {@link InvalidateTags} then makes them misses, in every cache at once.
 *
 * <pre>{@code
 * @Cacheable(cacheNames = "posts", sync = true)
 * @CacheTags({"'post:' + #id", "'posts'"})
 * public PostView post(long id) { ... }
 * }</pre>
 *
 * Needs {@link LarderCacheResolver} (registered by {@link LarderCachingConfiguration} and the
 * Spring Boot starter). With {@code sync = true} the entry also carries the tags of every Larder
 * entry the method read, and {@code Larder.tagCurrentLoad(...)} inside the method adds more.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface CacheTags {
    /** SpEL expressions, each giving a tag or a collection of tags. */
    String[] value();
}
