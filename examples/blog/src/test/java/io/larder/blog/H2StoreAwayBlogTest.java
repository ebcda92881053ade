package io.larder.blog;

/** {@link StoreAwayBlogContract} on H2 (in memory). */
class H2StoreAwayBlogTest extends StoreAwayBlogContract {
    @Override
    TestDb open() throws Exception {
        return TestDb.h2();
    }
}
