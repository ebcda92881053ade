package io.larder.hibernate;

/**
 * What happened to an entity, as a tag function given to
 * {@link LarderHibernate.Builder#tags(Class, java.util.function.BiFunction)} sees it: an entry
 * listing posts may need other tags when a post is inserted (the list changed) than when its
 * title is updated (only the entries showing it changed).
 */
public enum Change {
    /** The entity was inserted; an upsert counts as an insert, the wider of the two. */
    INSERT,
    /** Its state or one of its collections was updated. */
    UPDATE,
    /** It was deleted. */
    DELETE
}
