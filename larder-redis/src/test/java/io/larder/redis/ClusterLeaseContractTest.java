package io.larder.redis;

import io.larder.spi.Store;
import io.larder.testing.LeaseContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The lease contract on two RedisStores (two cluster connections) over one key prefix. */
class ClusterLeaseContractTest extends LeaseContract {
    @RegisterExtension
    static final SharedCluster CLUSTER = new SharedCluster();
    private String prefix;

    @Override
    protected void newBacking() {
        prefix = CLUSTER.newPrefix("cl");
    }

    @Override
    protected Store open() {
        return CLUSTER.store(prefix);
    }
}
