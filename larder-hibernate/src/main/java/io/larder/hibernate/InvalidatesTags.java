package io.larder.hibernate;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Tags that a committed change of this entity invalidates besides its own ({@code Comment} and
 * {@code Comment:7}): fixed tags, and the {@code Name:id} tags of the entities its to-one
 * associations point to, before and after the change.
 *
 * <pre>{@code
 * @Entity
 * @InvalidatesTags(value = "recent-comments", associations = "post") // also Post:<its post id>
 * class Comment { @ManyToOne Post post; ... }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface InvalidatesTags {
    /** Fixed tags, invalidated by every change of the entity. */
    String[] value() default {};

    /**
     * Names of to-one attributes whose target entity's {@code Name:id} tag is invalidated too;
     * an unknown name fails when the session factory starts.
     */
    String[] associations() default {};
}
