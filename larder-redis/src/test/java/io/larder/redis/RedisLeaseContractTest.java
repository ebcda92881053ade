package io.larder.redis;

import io.larder.spi.Store;
import io.larder.testing.LeaseContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lease contract on two RedisStores (two connections) over one key prefix. */
class RedisLeaseContractTest extends LeaseContract {
    @RegisterExtension
    static final ContractRedis REDIS = new ContractRedis();
    private String prefix;

    @Override
    protected void newBacking() {
        prefix = REDIS.newPrefix("lease");
    }

    @Override
    protected Store open() {
        return REDIS.store(prefix);
    }
}
