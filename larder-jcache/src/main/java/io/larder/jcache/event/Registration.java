package io.larder.jcache.event;

import java.io.Closeable;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered listener: its configuration, the listener and filter its factories made, and
 * for an asynchronous one a queue that delivers its events one at a time, in order.
 */
final class Registration<K, V> {
    private static final Logger LOG = LoggerFactory.getLogger(Registration.class);

    final CacheEntryListenerConfiguration<K, V> configuration;
    private final CacheEntryListener<? super K, ? super V> listener;
    private final CacheEntryEventFilter<? super K, ? super V> filter;
    private final Executor executor;
    private final Queue<EntryEvent<K, V>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    Registration(CacheEntryListenerConfiguration<K, V> configuration, Executor executor) {
        this.configuration = configuration;
        this.listener = configuration.getCacheEntryListenerFactory().create();
        Factory<CacheEntryEventFilter<? super K, ? super V>> filters =
                configuration.getCacheEntryEventFilterFactory();
        this.filter = filters == null ? null : filters.create();
        this.executor = executor;
    }

    /** Whether the listener takes events of {@code type}. */
    boolean listensTo(EventType type) {
        return switch (type) {
            case CREATED -> listener instanceof CacheEntryCreatedListener;
            case UPDATED -> listener instanceof CacheEntryUpdatedListener;
            case REMOVED -> listener instanceof CacheEntryRemovedListener;
            case EXPIRED -> listener instanceof CacheEntryExpiredListener;
        };
    }

    boolean oldValueRequired() {
        return configuration.isOldValueRequired();
    }

    /** Delivers {@code event} now (synchronous) or through the queue (asynchronous). */
    void deliver(EntryEvent<K, V> event) {
        if (configuration.isSynchronous()) {
            send(event);
            return;
        }
        queue.add(event);
        drain();
    }

    private void drain() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    EntryEvent<K, V> event;
                    while ((event = queue.poll()) != null) {
                        try {
                            send(event);
                        } catch (RuntimeException e) {
                            LOG.warn("an asynchronous cache entry listener failed", e);
                        }
                    }
                } finally {
                    draining.set(false);
                    if (!queue.isEmpty()) {
                        drain();
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            draining.set(false);
            queue.clear();
        }
    }

    @SuppressWarnings("unchecked")
    private void send(EntryEvent<K, V> event) {
        try {
            if (filter != null && !filter.evaluate(event)) {
                return;
            }
            Iterable<javax.cache.event.CacheEntryEvent<? extends K, ? extends V>> events =
                    java.util.List.of(event);
            Iterable<javax.cache.event.CacheEntryEvent<?, ?>> any = (Iterable) events;
            switch (event.getEventType()) {
                case CREATED -> ((CacheEntryCreatedListener<Object, Object>) listener)
                        .onCreated((Iterable) any);
                case UPDATED -> ((CacheEntryUpdatedListener<Object, Object>) listener)
                        .onUpdated((Iterable) any);
                case REMOVED -> ((CacheEntryRemovedListener<Object, Object>) listener)
                        .onRemoved((Iterable) any);
                case EXPIRED -> ((CacheEntryExpiredListener<Object, Object>) listener)
                        .onExpired((Iterable) any);
                default -> throw new IllegalStateException("unknown event " + event);
            }
        } catch (CacheEntryListenerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheEntryListenerException(e);
        }
    }

    /** Closes the listener and filter if they hold resources. */
    void close() {
        for (Object part : new Object[] {listener, filter}) {
            if (part instanceof Closeable closeable) {
                try {
                    closeable.close();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("closing a cache entry listener failed", e);
                }
            }
        }
    }
}
