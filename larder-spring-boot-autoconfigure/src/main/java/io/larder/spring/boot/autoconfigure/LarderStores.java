package io.larder.spring.boot.autoconfigure;

import io.larder.spi.Store;
import io.larder.store.DiskStore;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;

/** Builds the store {@code larder.store} names, with its bounds. */
final class LarderStores {
    private LarderStores() {
    }

    static Store create(LarderProperties properties) {
        return switch (properties.getStore()) {
            case MEMORY -> memory(properties);
            case FILE -> file(properties);
            case TIERED -> TieredStore.of(memory(properties), file(properties));
            case REDIS -> TieredStore.of(memory(properties), redis(properties));
        };
    }

    private static MemoryStore memory(LarderProperties properties) {
        LarderProperties.Memory memory = properties.getMemory();
        MemoryStore.Builder builder = MemoryStore.builder();
        return memory.getMaximumBytes() != null
                ? builder.maximumBytes(memory.getMaximumBytes().toBytes()).build()
                : builder.maximumSize(memory.getMaximumSize()).build();
    }

    private static DiskStore file(LarderProperties properties) {
        LarderProperties.File file = properties.getFile();
        DiskStore.Builder builder = DiskStore.builder(file.getFolder());
        if (file.getMaximumEntries() != null) {
            builder.maximumEntries(file.getMaximumEntries());
        }
        if (file.getMaximumBytes() != null) {
            builder.maximumBytes(file.getMaximumBytes().toBytes());
        }
        return builder.build();
    }

    private static Store redis(LarderProperties properties) {
        try {
            Class.forName("io.larder.redis.RedisStore", false, LarderStores.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("larder.store=redis needs io.larder:larder-redis on"
                    + " the class path", e);
        }
        return RedisStores.create(properties.getRedis());
    }
}
