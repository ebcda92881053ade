package io.larder;

import io.larder.codec.JsonCodec;
import io.larder.spi.Codec;
import io.larder.spi.Store;
import io.larder.spi.StoreContext;
import io.larder.store.MemoryStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/** Builds a {@link Larder}; each setting may be set once, and bad values fail here. */
public final class LarderBuilder {
    private Store store;
    private Duration ttl;
    private Duration staleFor;
    private InstantSource clock;
    private Executor refreshExecutor;
    private byte[] secret;
    private Codec codec;
    private Duration loadLease;
    private Duration refreshBackoff;
    private boolean strictRegions;
    private final Map<String, Region.Builder> regions = new LinkedHashMap<>();

    LarderBuilder() {
    }

    /** Where entries live; default a {@link MemoryStore} of 10,000 entries. */
    public LarderBuilder store(Store store) {
        requireUnset("store", this.store);
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    /**
     * How long entries are fresh unless their region or call says otherwise; default 5 minutes.
     */
    public LarderBuilder ttl(Duration ttl) {
        requireUnset("ttl", this.ttl);
        this.ttl = Region.checkPositive("ttl", ttl);
        return this;
    }

    /** How long after their TTL entries are served stale while they refresh; default 0. */
    public LarderBuilder staleFor(Duration staleFor) {
        requireUnset("staleFor", this.staleFor);
        this.staleFor = Region.checkNotNegative("staleFor", staleFor);
        return this;
    }

    /** The clock entries' times come from; tests pass a fake one. */
    public LarderBuilder clock(InstantSource clock) {
        requireUnset("clock", this.clock);
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Where background refreshes run; default two daemon threads with a bounded queue. */
    public LarderBuilder refreshExecutor(Executor executor) {
        requireUnset("refreshExecutor", this.refreshExecutor);
        this.refreshExecutor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * The secret that authenticates entries in stores other processes can write (≥ 16 bytes).
     */
    public LarderBuilder hmacSecret(byte[] secret) {
        requireUnset("hmacSecret", this.secret);
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("hmacSecret must have at least 16 bytes");
        }
        this.secret = secret.clone();
        return this;
    }

    /** The default codec; default {@link JsonCodec#standard()}. */
    public LarderBuilder codec(Codec codec) {
        requireUnset("codec", this.codec);
        this.codec = Objects.requireNonNull(codec, "codec");
        return this;
    }

    /**
     * The lease of a process that loads a key other processes sharing the store miss too: they
     * wait for its entry while it renews the lease (every third of it, as long as it loads),
     * and take over one lease after it died or lost its grant; they wait ten leases at most
     * however long it loads. Default 3 seconds.
     */
    public LarderBuilder loadLease(Duration lease) {
        requireUnset("loadLease", this.loadLease);
        this.loadLease = Region.checkPositive("loadLease", lease);
        return this;
    }

    /**
     * How long a failed background refresh of a key waits before it is tried again;
     * default 1 s.
     */
    public LarderBuilder refreshBackoff(Duration backoff) {
        requireUnset("refreshBackoff", this.refreshBackoff);
        this.refreshBackoff = Region.checkNotNegative("refreshBackoff", backoff);
        return this;
    }

    /**
     * Makes a call on a region that was not configured with {@link #region} fail with a
     * clear {@link IllegalArgumentException} (a typo would otherwise get the default TTL).
     */
    public LarderBuilder strictRegions() {
        this.strictRegions = true;
        return this;
    }

    /** Configures region {@code name}: {@code .region("posts", r -> r.ttl(ofMinutes(5)))}. */
    public LarderBuilder region(String name, Consumer<Region.Builder> settings) {
        if (regions.containsKey(name)) {
            throw new IllegalStateException("region " + name + " was already configured");
        }
        Region.Builder builder = Region.builder(name);
        settings.accept(builder);
        regions.put(name, builder);
        return this;
    }

    /** The configured {@link Larder}. */
    public Larder build() {
        if (codec == null) {
            JsonCodec.prepareInBackground();
        }
        Region defaults = new Region("default",
                ttl != null ? ttl : Duration.ofMinutes(5),
                staleFor != null ? staleFor : Duration.ZERO,
                codec != null ? codec : JsonCodec.standard(),
                Set.of(), 0);
        Store theStore = store != null ? store
                : MemoryStore.builder().maximumSize(10_000).build();
        InstantSource theClock = clock != null ? clock : InstantSource.system();
        theStore.bind(new StoreContext(theClock, Optional.ofNullable(secret)));
        ExecutorService owned = refreshExecutor == null ? Refresher.defaultExecutor() : null;
        Engine engine = new Engine(theStore, theClock, owned != null ? owned : refreshExecutor,
                new Regions(defaults, strictRegions),
                loadLease != null ? loadLease : Duration.ofSeconds(3),
                refreshBackoff != null ? refreshBackoff : Duration.ofSeconds(1));
        regions.forEach((name, builder) -> engine.configure(builder.build(defaults)));
        return new Larder(engine, owned);
    }

    private static void requireUnset(String what, Object value) {
        if (value != null) {
            throw new IllegalStateException(what + " was already set");
        }
    }
}
