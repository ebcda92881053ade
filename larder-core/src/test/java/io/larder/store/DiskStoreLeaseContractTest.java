package io.larder.store;

import io.larder.spi.Store;
import io.larder.testing.LeaseContract;
import java.nio.file.Files;
import java.nio.file.Path;

/** The lease contract on two DiskStores over one folder. */
class DiskStoreLeaseContractTest extends LeaseContract {
    private Path root;

    @Override
    protected void newBacking() throws Exception {
        root = Files.createTempDirectory("lease-contract").resolve("cache");
    }

    @Override
    protected Store open() {
        return DiskStore.builder(root).build();
    }
}
