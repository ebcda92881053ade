package io.larder.store;

import io.larder.Key;
import java.nio.file.Path;

/** The folder layout DISKSTORE.md documents, spelled out independently of the store's code. */
final class FileLayout {
    private FileLayout() {
    }

    /** Where an entry lives: {@code <root>/<region>/<2 hex>/<digest>}. */
    static Path entry(Path root, Key key) {
        String digest = key.digest();
        return root.resolve(key.region()).resolve(digest.substring(0, 2)).resolve(digest);
    }
}
