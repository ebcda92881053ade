package io.larder.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Invalidates tags after the method returns normally (not when it throws): each value is a SpEL
 * expression over the arguments and {@code #result}, giving a tag or a collection of tags. Every
 * entry written under one of them, in every cache and store, is a miss from then on.
 *
 * <pre>{@code
 * @InvalidateTags("'post:' + #post.id")
 * public void save(Post post) { ... }
 * }</pre>
 *
 * With JPA, larder-hibernate's post-commit invalidation tags entities by itself; this
 * annotation is for tags that name something else. Inside a Spring-managed transaction the tags
 * are invalidated when it commits (never if it rolls back): invalidated earlier, a reader in
 * between could cache the rows the transaction is about to replace. Outside one, when the method
 * returns.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface InvalidateTags {
    /** SpEL expressions, each giving a tag or a collection of tags. */
    String[] value();
}
