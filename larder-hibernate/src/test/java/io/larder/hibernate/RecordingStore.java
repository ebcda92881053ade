package io.larder.hibernate;

import io.larder.testing.ForwardingStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A memory store that records each call of {@link #invalidateTags} (without Larder's own tags). */
final class RecordingStore extends ForwardingStore {
    final List<List<String>> calls = new CopyOnWriteArrayList<>();
    volatile Runnable onInvalidate = () -> { };

    @Override
    public void invalidateTags(Collection<String> tags) {
        List<String> named = new ArrayList<>();
        for (String tag : tags) {
            if (!tag.startsWith("@")) {
                named.add(tag);
            }
        }
        onInvalidate.run();
        calls.add(named);
        super.invalidateTags(tags);
    }
}
