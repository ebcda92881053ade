package io.larder.blog.cache;

/** How pages read the database, chosen at start. */
public enum QueryMode {
    /** Hibernate: JPQL and lazy associations. */
    ORM,
    /** Plain JDBC with hand-written SQL. */
    SQL
}
