package io.larder.blog;

/** {@link StoreAwayBlogContract} on PostgreSQL. */
class PostgresStoreAwayBlogTest extends StoreAwayBlogContract {
    @Override
    TestDb open() throws Exception {
        return TestDb.postgres();
    }
}
