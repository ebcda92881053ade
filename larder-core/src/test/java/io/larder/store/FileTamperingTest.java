package io.larder.store;

import io.larder.Key;
import io.larder.spi.Store;
import io.larder.testing.TamperingContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Tampered entry files: see {@link TamperingContract}. */
class FileTamperingTest extends TamperingContract {
    @TempDir
    Path temp;
    private DiskStore files;

    @Override
    protected Store newStore() {
        files = DiskStore.builder(temp.resolve("cache")).sweepInBackground(false).build();
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
        Files.write(file(key), bytes);
    }

    @Override
    protected long rejected() {
        return files.stats().corruptDropped();
    }

    @Override
    protected String storeName() {
        return "file";
    }
}
