package io.larder.redis;

import io.larder.Key;
import io.larder.spi.Store;
import java.util.function.Consumer;

/**
 * Reads the change channel for a {@link RedisStore}: drops cached generations that moved and
 * tells its listeners (the near cache) of entries and regions changed by other nodes; reports
 * the channel's and the breaker's losses to {@link Outages}.
 */
final class Changes implements RedisConnection.Subscriber {
    private final Outages outages;
    private final RedisStore store;

    Changes(Outages outages, RedisStore store) {
        this.outages = outages;
        this.store = store;
    }

    @Override
    public void message(String message) {
        int space = message.indexOf(' ');
        if (space <= 0 || message.length() < space + 3) {
            return;
        }
        String node = store.keys().node;
        boolean mine = space == node.length() && message.regionMatches(0, node, 0, space);
        char kind = message.charAt(space + 1);
        String body = message.substring(space + 3);
        if (!mine) {
            store.heard();
        }
        GenerationCache generations = store.generationCache();
        try {
            switch (kind) {
                case 't' -> forEachLine(body, generations::forget);
                case 'k' -> {
                    if (!mine) {
                        Key key = Key.parse(body);
                        store.listeners().forEach(listener -> listener.changed(key));
                    }
                }
                case 'r' -> {
                    if (!mine) {
                        store.listeners().forEach(listener -> listener.regionRemoved(body));
                    }
                }
                case 'c' -> {
                    if (!mine) {
                        store.listeners().forEach(Store.Listener::lostTrack);
                    }
                }
                case 'a' -> {
                    generations.forgetAll(outages.live());
                    if (!mine) {
                        outages.notifyLost();
                    }
                }
                default -> { }
            }
        } catch (RuntimeException e) {
            // A malformed message (from a foreign writer): it says nothing we can use.
        }
    }

    @Override
    public void subscribed() {
        outages.channelUp();
    }

    @Override
    public void unsubscribed() {
        outages.channelDown(true);
    }

    @Override
    public void broken() {
        outages.channelDown(false);
    }

    private static void forEachLine(String body, Consumer<String> action) {
        for (String line : body.split("\n")) {
            if (!line.isEmpty()) {
                action.accept(line);
            }
        }
    }
}
