package io.larder.jcache.event;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import javax.cache.Cache;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.EventType;

/**
 * A cache's entry listeners: changes are published after the operation that made them, to every
 * listener that takes their type and whose filter accepts them; synchronous listeners before the
 * operation returns (their failure reaches its caller as a {@link CacheEntryListenerException},
 * after the change was made), asynchronous ones in order on the manager's threads.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class EventDispatcher<K, V> {
    private final List<Registration<K, V>> registrations = new CopyOnWriteArrayList<>();
    private final Executor executor;

    /** A dispatcher whose asynchronous deliveries run on {@code executor}. */
    public EventDispatcher(Executor executor) {
        this.executor = executor;
    }

    /** Whether any listener is registered (if not, callers need not collect changes). */
    public boolean active() {
        return !registrations.isEmpty();
    }

    /** Registers a listener made by {@code configuration}'s factories. */
    public void register(CacheEntryListenerConfiguration<K, V> configuration) {
        registrations.add(new Registration<>(configuration, executor));
    }

    /** Removes the listener registered with {@code configuration}, if any. */
    public void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
        registrations.removeIf(r -> {
            if (r.configuration.equals(configuration)) {
                r.close();
                return true;
            }
            return false;
        });
    }

    /**
     * Publishes {@code changes} of {@code source}.
     *
     * @throws CacheEntryListenerException if a synchronous listener or filter failed
     */
    public void publish(Cache<K, V> source, List<Change<K, V>> changes) {
        if (changes == null || changes.isEmpty()) {
            return;
        }
        CacheEntryListenerException failure = null;
        for (Registration<K, V> registration : registrations) {
            for (Change<K, V> change : changes) {
                if (!registration.listensTo(change.type())) {
                    continue;
                }
                boolean old = change.type() != EventType.CREATED
                        && (registration.oldValueRequired() || change.type() != EventType.UPDATED);
                EntryEvent<K, V> event = new EntryEvent<>(source, change.type(), change.key(),
                        change.value(), old ? change.oldValue() : null, old);
                try {
                    registration.deliver(event);
                } catch (CacheEntryListenerException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes every listener. */
    public void close() {
        registrations.forEach(Registration::close);
        registrations.clear();
    }

    /**
     * One change, as the cache records it while it holds the key.
     *
     * @param type what happened
     * @param key the key
     * @param value the new value, or the value that went for removals and expiries
     * @param oldValue the value before, if there was one
     * @param <K> the key type
     * @param <V> the value type
     */
    public record Change<K, V>(EventType type, K key, V value, V oldValue) { }
}
