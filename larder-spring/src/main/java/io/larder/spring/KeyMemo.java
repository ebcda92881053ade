package io.larder.spring;

import io.larder.Key;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Larder keys of one cache's recent Spring keys of the commonest kinds (a string, an int, a
 * long: a method of one id or slug parameter): a read finds its key here instead of building it
 * (a string and an array per call), and the memory store then finds the key equal by identity.
 * Only immutable kinds are kept, whose {@code equals} agrees with {@link KeyMapper}'s forms.
 * A memo, not a cache of values: losing it loses nothing, so it is emptied when it reaches its
 * bound, and the keys asked for since fill it again.
 */
final class KeyMemo {
    private static final int BOUND = 16_384;
    private static final int LONGEST_STRING = 256;

    private final String region;
    private final ConcurrentHashMap<Object, Key> keys = new ConcurrentHashMap<>();

    KeyMemo(String region) {
        this.region = region;
    }

    /** The Larder key of {@code springKey} in the cache's region. */
    Key key(Object springKey) {
        boolean kept = springKey instanceof Integer || springKey instanceof Long
                || springKey instanceof String s && s.length() <= LONGEST_STRING;
        if (!kept) {
            return KeyMapper.toKey(region, springKey);
        }
        Key known = keys.get(springKey);
        if (known != null) {
            return known;
        }
        Key key = KeyMapper.toKey(region, springKey);
        if (keys.size() >= BOUND) {
            keys.clear();
        }
        keys.put(springKey, key);
        return key;
    }

    /** How many keys are kept (for tests). */
    int size() {
        return keys.size();
    }
}
