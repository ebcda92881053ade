package io.larder.hibernate;

/** The invalidation log on a fresh schema of the PostgreSQL server on loopback. */
class PostgresInvalidationLogTest extends InvalidationLogContract {
    @Override
    TestDatabase open() {
        return TestDatabase.postgres();
    }
}
