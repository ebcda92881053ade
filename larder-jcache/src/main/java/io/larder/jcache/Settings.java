package io.larder.jcache;

import io.larder.jcache.configuration.StoreFactory;
import io.larder.spi.Store;
import io.larder.store.DiskStore;
import io.larder.store.MemoryStore;
import io.larder.store.TieredStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import javax.cache.CacheException;

/**
 * A cache manager's settings, from (later wins) the {@code larder-jcache.properties} resource on
 * the class path, the properties file the manager's URI names ({@code classpath:...} or
 * {@code file:...}), the JVM's {@code larder.*} system properties, and the {@code Properties}
 * passed to {@code getCacheManager}.
 */
final class Settings {
    static final String RESOURCE = "larder-jcache.properties";

    private final Properties properties;

    private Settings(Properties properties) {
        this.properties = properties;
    }

    /** The settings of a manager. */
    static Settings resolve(URI uri, ClassLoader classLoader, Properties given) {
        Properties all = new Properties();
        load(all, classLoader.getResourceAsStream(RESOURCE), RESOURCE);
        if (uri != null && "classpath".equals(uri.getScheme())) {
            String path = uri.getSchemeSpecificPart().replaceFirst("^/+", "");
            InputStream in = classLoader.getResourceAsStream(path);
            if (in == null) {
                throw new CacheException("no " + path + " on the class path (from " + uri + ")");
            }
            load(all, in, uri.toString());
        } else if (uri != null && "file".equals(uri.getScheme())) {
            try {
                load(all, Files.newInputStream(Path.of(uri)), uri.toString());
            } catch (IOException e) {
                throw new CacheException("cannot read " + uri, e);
            }
        }
        System.getProperties().forEach((k, v) -> {
            if (k.toString().startsWith("larder.")) {
                all.put(k, v);
            }
        });
        if (given != null) {
            all.putAll(given);
        }
        return new Settings(all);
    }

    private static void load(Properties into, InputStream in, String from) {
        if (in == null) {
            return;
        }
        try (InputStream stream = in) {
            Properties read = new Properties();
            read.load(new java.io.InputStreamReader(stream, StandardCharsets.UTF_8));
            into.putAll(read);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + from, e);
        }
    }

    /** The store kind: memory, file, tiered, redis, or a {@link StoreFactory} class name. */
    String storeKind() {
        return text("larder.store", "memory");
    }

    /** Whether the store keeps objects (so store-by-reference is possible). */
    boolean keepsObjects() {
        return storeKind().equals("memory");
    }

    /** Class names and package prefixes ({@code com.example.*}) stored values may have. */
    List<String> types() {
        String types = text("larder.types", "");
        return Arrays.stream(types.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
    }

    /** The HMAC secret for stores other processes can write, if one is configured. */
    byte[] secret() {
        String secret = text("larder.hmacSecret", null);
        return secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The clock (tests put an {@link InstantSource} under {@code larder.clock}). */
    InstantSource clock() {
        return properties.get("larder.clock") instanceof InstantSource clock ? clock
                : InstantSource.system();
    }

    /** A new store as configured. */
    Store store(ClassLoader classLoader) {
        String kind = storeKind();
        switch (kind) {
            case "memory":
                return memory();
            case "file":
                return file();
            case "tiered":
                return TieredStore.of(memory(), file());
            case "redis":
                return TieredStore.of(memory(), RedisStores.create(properties));
            default:
                return factory(kind, classLoader).create(properties);
        }
    }

    private MemoryStore memory() {
        MemoryStore.Builder builder = MemoryStore.builder();
        long bytes = number("larder.memory.maximumBytes", -1);
        return bytes > 0 ? builder.maximumBytes(bytes).build()
                : builder.maximumSize(number("larder.memory.maximumSize", 100_000)).build();
    }

    private DiskStore file() {
        String root = text("larder.file.root", null);
        if (root == null) {
            throw new CacheException("larder.store=" + storeKind() + " needs larder.file.root");
        }
        DiskStore.Builder builder = DiskStore.builder(Path.of(root));
        long entries = number("larder.file.maximumEntries", -1);
        if (entries > 0) {
            builder.maximumEntries(entries);
        }
        long bytes = number("larder.file.maximumBytes", -1);
        if (bytes > 0) {
            builder.maximumBytes(bytes);
        }
        return builder.build();
    }

    private static StoreFactory factory(String className, ClassLoader classLoader) {
        try {
            Class<?> type = Class.forName(className, true, classLoader);
            if (!StoreFactory.class.isAssignableFrom(type)) {
                throw new CacheException("larder.store must be memory, file, tiered, redis or"
                        + " a StoreFactory class, was " + className);
            }
            return (StoreFactory) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new CacheException("larder.store must be memory, file, tiered, redis or a"
                    + " StoreFactory class with a public constructor, was " + className, e);
        }
    }

    String text(String name, String otherwise) {
        Object value = properties.get(name);
        return value == null ? otherwise : value.toString().trim();
    }

    private long number(String name, long otherwise) {
        String value = text(name, null);
        try {
            return value == null ? otherwise : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new CacheException(name + " must be a whole number, was " + value);
        }
    }
}
