package io.larder;

import java.lang.reflect.Type;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one caller asks of the engine: the type to decode values as, its per-call options, and
 * how to load its keys, one or many, for a first load or a refresh.
 */
record Call(Type type, Options options, Batch batch, boolean recordsAbsence) {

    /** Loads keys that are all missing; a key left out of the result is neither kept nor given. */
    interface Batch {
        Map<Key, Loaded<?>> load(Set<Key> keys, boolean refresh) throws Exception;
    }

    /** A call for one key, loaded by {@code source}. */
    static Call of(Key key, Type type, Options options, Source<?> source) {
        Objects.requireNonNull(source, "source");
        return new Call(type, options, (keys, refresh) -> {
            Loaded<?> loaded = refresh ? source.refresh() : source.load();
            if (loaded == null) {
                throw new NullPointerException("the source of " + key
                        + " returned null instead of a Loaded (Loaded.of(null) caches null)");
            }
            return Collections.singletonMap(key, loaded);
        }, false);
    }

    /**
     * A call for many keys, the missing ones loaded together by {@code loader}; a key it does
     * not return is recorded as absent.
     */
    static Call ofMany(Type type, Options options, BulkLoader<?> loader) {
        Objects.requireNonNull(loader, "loader");
        return new Call(type, options, (keys, refresh) -> {
            Map<Key, ?> values = loader.load(keys);
            Map<Key, Loaded<?>> loaded = new LinkedHashMap<>();
            if (values != null) {
                values.forEach((key, value) -> loaded.put(key, Loaded.of(value)));
            }
            return loaded;
        }, true);
    }
}
