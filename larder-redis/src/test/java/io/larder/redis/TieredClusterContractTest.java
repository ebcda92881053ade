package io.larder.redis;

import io.larder.spi.Store;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import io.larder.testing.StoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store contract, against a memory near cache in front of a real Redis Cluster. */
class TieredClusterContractTest extends StoreContract {
    @RegisterExtension
    static final SharedCluster CLUSTER = new SharedCluster();

    @Override
    protected Store newStore() {
        return TieredStore.of(MemoryStore.builder().maximumSize(1_000).build(),
                CLUSTER.store(CLUSTER.newPrefix("ct")));
    }
}
