package io.larder.redis;

import io.larder.Key;
import io.larder.spi.Store;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Reads the change channel for a {@link RedisStore}: drops cached generations that moved and
 * tells its listeners (the near cache) of entries and regions changed by other nodes; reports
 * the channel's and the breaker's losses to {@link Outages}.
 */
final class Changes implements RedisConnection.Subscriber {
    private final Outages outages;
    private final String node;
    private final GenerationCache generations;
    private final List<Store.Listener> listeners;
    private final LongAdder heard;

    Changes(Outages outages, String node, GenerationCache generations,
            List<Store.Listener> listeners, LongAdder heard) {
        this.outages = outages;
        this.node = node;
        this.generations = generations;
        this.listeners = listeners;
        this.heard = heard;
    }

    @Override
    public void message(String message) {
        int space = message.indexOf(' ');
        if (space <= 0 || message.length() < space + 3) {
            return;
        }
        boolean mine = space == node.length() && message.regionMatches(0, node, 0, space);
        char kind = message.charAt(space + 1);
        String body = message.substring(space + 3);
        if (!mine) {
            heard.increment();
        }
        try {
            switch (kind) {
                case 't' -> forEachLine(body, generations::forget);
                case 'k' -> {
                    if (!mine) {
                        Key key = Key.parse(body);
                        listeners.forEach(listener -> listener.changed(key));
                    }
                }
                case 'r' -> {
                    if (!mine) {
                        listeners.forEach(listener -> listener.regionRemoved(body));
                    }
                }
                case 'c' -> {
                    if (!mine) {
                        listeners.forEach(Store.Listener::lostTrack);
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
