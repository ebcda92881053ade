package io.larder.hibernate;

/** The contract on an in-memory H2 database. */
class H2InvalidationTest extends InvalidationContract {
    @Override
    TestDatabase open() {
        return TestDatabase.h2();
    }
}
