package io.larder.store;

import io.larder.Key;
import io.larder.spi.Store;
import io.larder.testing.StoredBytesProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Generated entry files: see {@link StoredBytesProperties}. */
class DiskStoredBytesProperties extends StoredBytesProperties {
    private DiskStore files;

    @Override
    protected Store newStore() {
        files = DiskStore.builder(Path.of("target", "fuzz-" + UUID.randomUUID()))
                .sweepInBackground(false).build();
        return files;
    }

    private Path file(Key key) {
        return FileLayout.entry(files.root(), key);
    }

    @Override
    protected byte[] rawRead(Key key) throws Exception {
        return Files.readAllBytes(file(key));
    }

    @Override
    protected void rawWrite(Key key, byte[] bytes) throws Exception {
        Files.createDirectories(file(key).getParent());
        Files.write(file(key), bytes);
    }
}
