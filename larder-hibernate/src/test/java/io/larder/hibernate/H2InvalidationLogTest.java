package io.larder.hibernate;

/** The invalidation log on an in-memory H2 database. */
class H2InvalidationLogTest extends InvalidationLogContract {
    @Override
    TestDatabase open() {
        return TestDatabase.h2();
    }
}
