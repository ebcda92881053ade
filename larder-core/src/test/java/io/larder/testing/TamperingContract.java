package io.larder.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.Key;
import io.larder.Larder;
import io.larder.codec.JsonCodec;
import io.larder.spi.EntryFormat;
import io.larder.spi.Payload;
import io.larder.spi.Store;
import io.larder.spi.StoredEntry;
import java.io.ByteArrayInputStream;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tampering with a store's bytes where another process can write them (a file, a Redis value),
 * written once and run against each such store: every {@link Tampering.Kind}, many times, is
 * rejected before any codec sees it (the read is a miss: the loader answers), and no Java
 * serialization gadget is ever initialized. A subclass says where the bytes of a key live.
 */
public abstract class TamperingContract {
    /** The secret the Larder under test authenticates with. */
    protected static final byte[] SECRET =
            "tampering-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    /** A typical cached value: a DTO decoded with Jackson. */
    public record Post(int id, String title) { }

    private static final Post FROM_DATABASE = new Post(-1, "from the database");
    private final CountingCodec codec = new CountingCodec(JsonCodec.standard());
    private Larder larder;

    /**
     * A new, empty store (the Larder binds it), with no background work that could find a
     * rewritten entry before the read does (a file store's sweep), so that counts are exact.
     */
    protected abstract Store newStore() throws Exception;

    /** The bytes the store keeps for {@code key}. */
    protected abstract byte[] rawRead(Key key) throws Exception;

    /** Puts {@code bytes} where the store keeps {@code key}, as another process could. */
    protected abstract void rawWrite(Key key, byte[] bytes) throws Exception;

    /** How many entries the store has rejected (and dropped) so far. */
    protected abstract long rejected();

    /** The store's name in the reports ({@code file}, {@code redis}). */
    protected abstract String storeName();

    private Larder larder() throws Exception {
        if (larder == null) {
            larder = Larder.builder().store(newStore()).hmacSecret(SECRET).codec(codec).build();
        }
        return larder;
    }

    @AfterEach
    void closeLarder() {
        if (larder != null) {
            larder.close();
        }
    }

    @Test
    void tamperedEntries_everyKind_rejectedBeforeDecoding_noGadgetTouched() throws Exception {
        int rounds = Soak.rounds(600, 50_000);
        Larder cache = larder();
        EntryFormat format = new EntryFormat(SECRET);
        Random random = new Random(11);
        Key other = Key.of("posts", "other");
        cache.put(other, new Post(0, "another key"));
        byte[] otherBytes = rawRead(other);
        Map<Tampering.Kind, Long> rejectedByKind = new EnumMap<>(Tampering.Kind.class);
        long accepted = 0;
        List<Tampering.Kind> acceptedKinds = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            Tampering.Kind kind = Tampering.kinds().get(i % Tampering.kinds().size());
            Key key = Key.of("posts", i % 64);
            cache.put(key, new Post(i, "post " + i));
            byte[] valid = rawRead(key);
            StoredEntry entry = format.read(key.digest(), valid);
            rawWrite(key, Tampering.apply(kind, key.digest(), entry, valid, otherBytes, random));
            long decodes = codec.decodes();
            long rejectedBefore = rejected();

            Post read = cache.get(key, Post.class, () -> FROM_DATABASE);

            if (read.equals(FROM_DATABASE) && codec.decodes() == decodes
                    && rejected() == rejectedBefore + 1) {
                rejectedByKind.merge(kind, 1L, Long::sum);
            } else {
                accepted++;
                acceptedKinds.add(kind);
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("tampered", (long) rounds);
        rejectedByKind.forEach((kind, n) -> counts.put("rejected" + kind, n));
        counts.put("rejected", rejectedByKind.values().stream().mapToLong(Long::longValue).sum());
        counts.put("accepted", accepted);
        counts.put("gadgetsInitialized", (long) Gadgets.INITIALIZED.get());
        counts.put("gadgetsDeserialized", (long) Gadgets.DESERIALIZED.get());
        Soak.report(storeName() + "-tampering", counts);
        assertThat(acceptedKinds).as("tampered entries not rejected").isEmpty();
        Gadgets.assertUntouched();
    }

    @Test
    void authenticEntriesHoldingGadgetStreams_areDecodedAsJsonOnly_neverDeserialized()
            throws Exception {
        Larder cache = larder();
        EntryFormat format = new EntryFormat(SECRET);
        long misses = 0;
        List<byte[]> streams = List.of(Gadgets.stream(),
                Gadgets.stream("org.apache.commons.collections.functors.InvokerTransformer"));
        Map<Class<?>, Object> fromDatabase = Map.of(Post.class, FROM_DATABASE,
                Object.class, "from the database", Map.class, Map.of("from", "the database"),
                List.class, List.of("from the database"));
        List<Class<?>> types = List.of(Post.class, Object.class, Map.class, List.class);
        for (byte[] stream : streams) {
            for (Class<?> type : types) {
                Key key = Key.of("posts", "gadget", type.getSimpleName());
                cache.put(key, new Post(1, "real"));
                StoredEntry entry = format.read(key.digest(), rawRead(key));
                // Written by someone who holds the secret, payload a gadget stream.
                rawWrite(key, format.write(key.digest(),
                        entry.withPayload(Payload.ofBytes(stream))));
                Object read = read(cache, key, type, fromDatabase.get(type));
                if (read.equals(fromDatabase.get(type))) {
                    misses++;
                }
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("authenticGadgetPayloads", (long) streams.size() * types.size());
        counts.put("misses", misses);
        counts.put("gadgetsInitialized", (long) Gadgets.INITIALIZED.get());
        counts.put("gadgetsDeserialized", (long) Gadgets.DESERIALIZED.get());
        Soak.report(storeName() + "-authentic-gadget-payloads", counts);
        assertThat(misses).isEqualTo(streams.size() * types.size());
        Gadgets.assertUntouched();
    }

    private static <T> T read(Larder cache, Key key, Class<T> type, Object fromDatabase) {
        return cache.get(key, type, () -> type.cast(fromDatabase));
    }

    @Test
    void gadgetStreams_areLive_whenGivenToJavaSerialization() throws Exception {
        byte[] stream = Gadgets.stream(Gadgets.Canary.class.getName());
        assertThat(stream).startsWith(Tampering.JAVA_SERIALIZATION_MAGIC);
        int before = Gadgets.Canary.DESERIALIZED.get();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(stream))) {
            assertThat(in.readObject()).isInstanceOf(Gadgets.Canary.class);
        }
        assertThat(Gadgets.Canary.DESERIALIZED.get()).isEqualTo(before + 1);
    }
}
