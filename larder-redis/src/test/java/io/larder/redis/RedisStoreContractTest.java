package io.larder.redis;

import io.larder.spi.Store;
import io.larder.testing.StoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract, against a real Redis. */
class RedisStoreContractTest extends StoreContract {
    @RegisterExtension
    static final ContractRedis REDIS = new ContractRedis();

    @Override
    protected Store newStore() {
        return REDIS.store(REDIS.newPrefix("c"));
    }
}
