package io.larder.hibernate;

/** The contract on a fresh schema of the PostgreSQL server on loopback. */
class PostgresInvalidationTest extends InvalidationContract {
    @Override
    TestDatabase open() {
        return TestDatabase.postgres();
    }
}
