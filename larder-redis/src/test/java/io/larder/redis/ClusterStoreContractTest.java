package io.larder.redis;

import io.larder.spi.Store;
import io.larder.testing.StoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract, against a real Redis Cluster (3 primaries, 3 replicas). */
class ClusterStoreContractTest extends StoreContract {
    @RegisterExtension
    static final SharedCluster CLUSTER = new SharedCluster();

    @Override
    protected Store newStore() {
        return CLUSTER.store(CLUSTER.newPrefix("cc"));
    }
}
