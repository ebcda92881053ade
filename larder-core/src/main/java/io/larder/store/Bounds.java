package io.larder.store;

import io.larder.spi.Store;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The file store's bounds: entries and bytes counted in memory (set by the sweeper's walk, moved
 * by this process's writes and removals in between), and eviction by sampling. When a write
 * takes the store over a bound, the writer evicts: it picks a region (weighted by its entries),
 * lists one of its 256 sub-folders (the one it just wrote to, unless that holds less than its
 * share, then one at random), samples a few entries there and deletes the one written longest
 * ago. Folders under their share are spared, which keeps the sub-folders even, so a write lists
 * about {@code maxEntries / 256} names, whatever the size of the tree.
 */
final class Bounds {
    private static final int SAMPLE = 5;
    private static final int MAX_ATTEMPTS = 8;
    private static final String[] SUB_FOLDERS = new String[256];

    static {
        for (int i = 0; i < 256; i++) {
            SUB_FOLDERS[i] = String.format("%02x", i);
        }
    }

    private final RootFolder root;
    private final long maxEntries;
    private final long maxBytes;
    private final AtomicLong entries = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final ConcurrentMap<String, Usage> regions = new ConcurrentHashMap<>();
    /** The most names one eviction listed: what a write paid for eviction at worst. */
    final LongAccumulator maxListed = new LongAccumulator(Math::max, 0);

    private static final class Usage {
        final AtomicLong entries = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final LongAdder evictions = new LongAdder();
    }

    Bounds(RootFolder root, long maxEntries, long maxBytes) {
        this.root = root;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    private Usage of(String region) {
        return regions.computeIfAbsent(region, r -> new Usage());
    }

    /** An entry of {@code newSize} bytes was written over one of {@code oldSize} (-1: none). */
    void written(String region, long oldSize, long newSize) {
        Usage usage = of(region);
        long delta = newSize - Math.max(oldSize, 0);
        if (oldSize < 0) {
            usage.entries.incrementAndGet();
            entries.incrementAndGet();
        }
        usage.bytes.addAndGet(delta);
        bytes.addAndGet(delta);
    }

    /** An entry of {@code size} bytes was deleted. */
    void removed(String region, long size) {
        Usage usage = of(region);
        usage.entries.decrementAndGet();
        entries.decrementAndGet();
        usage.bytes.addAndGet(-size);
        bytes.addAndGet(-size);
    }

    /** Every entry of {@code region} was moved away. */
    void regionRemoved(String region) {
        Usage usage = of(region);
        entries.addAndGet(-usage.entries.getAndSet(0));
        bytes.addAndGet(-usage.bytes.getAndSet(0));
    }

    /** Replaces the counts with those of a walk of the tree: {entries, bytes} by region. */
    void recounted(Map<String, long[]> counted) {
        long totalEntries = 0;
        long totalBytes = 0;
        for (String region : regions.keySet()) {
            if (!counted.containsKey(region)) {
                regionRemoved(region);
            }
        }
        for (Map.Entry<String, long[]> e : counted.entrySet()) {
            Usage usage = of(e.getKey());
            usage.entries.set(e.getValue()[0]);
            usage.bytes.set(e.getValue()[1]);
            totalEntries += e.getValue()[0];
            totalBytes += e.getValue()[1];
        }
        entries.set(totalEntries);
        bytes.set(totalBytes);
    }

    long entries() {
        return Math.max(0, entries.get());
    }

    long bytes() {
        return Math.max(0, bytes.get());
    }

    long evictions() {
        long sum = 0;
        for (Usage usage : regions.values()) {
            sum += usage.evictions.sum();
        }
        return sum;
    }

    Store.Usage usage(String region) {
        Usage usage = regions.get(region);
        if (usage == null) {
            return new Store.Usage(0, 0, 0);
        }
        return new Store.Usage(Math.max(0, usage.entries.get()), Math.max(0, usage.bytes.get()),
                usage.evictions.sum());
    }

    private boolean over() {
        return entries.get() > maxEntries || bytes.get() > maxBytes;
    }

    /**
     * Evicts sampled entries until the store is within its bounds (or a few tries failed). Each
     * eviction picks a region weighted by its entries, then evicts in {@code folder} (where the
     * write just went) if that holds at least its share of the region, else in a random one.
     */
    void enforce(String folder) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String sub = folder;
        for (int attempt = 0; attempt < MAX_ATTEMPTS && over(); attempt++) {
            String region = pickRegion();
            if (region == null) {
                return;
            }
            Path here = root.region(region).resolve(sub);
            List<String> names = entryNames(here);
            long share = of(region).entries.get() / 256;
            if (names.size() < share || names.isEmpty()) {
                // Below its share: leave it, so that sub-folders stay even (evicting only where
                // writes land would let their sizes drift apart like random walks).
                here = root.region(region).resolve(SUB_FOLDERS[random.nextInt(256)]);
                names = entryNames(here);
            }
            if (!names.isEmpty()) {
                evictOldest(region, here, names);
            }
            sub = SUB_FOLDERS[random.nextInt(256)];
        }
    }

    private String pickRegion() {
        long total = 0;
        for (Usage usage : regions.values()) {
            total += Math.max(0, usage.entries.get());
        }
        if (total <= 0) {
            return null;
        }
        long pick = ThreadLocalRandom.current().nextLong(total);
        for (Map.Entry<String, Usage> e : regions.entrySet()) {
            pick -= Math.max(0, e.getValue().entries.get());
            if (pick < 0) {
                return e.getKey();
            }
        }
        return null;
    }

    private List<String> entryNames(Path folder) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> paths = Files.newDirectoryStream(folder)) {
            for (Path path : paths) {
                String name = path.getFileName().toString();
                if (RootFolder.isEntryName(name)) {
                    names.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            // nothing written there yet, or the region was removed
        }
        maxListed.accumulate(names.size());
        return names;
    }

    /** Deletes the entry written longest ago among a sample of {@code names} in {@code folder}. */
    private void evictOldest(String region, Path folder, List<String> names) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int count = names.size();
        Path oldest = null;
        BasicFileAttributes oldestAttributes = null;
        for (int i = 0; i < Math.min(count, SAMPLE); i++) {
            // a partial Fisher-Yates shuffle draws the sample without repeats
            Collections.swap(names, i, i + random.nextInt(count - i));
            Path path = folder.resolve(names.get(i));
            try {
                BasicFileAttributes attributes = Files.readAttributes(path,
                        BasicFileAttributes.class);
                if (oldest == null || attributes.lastModifiedTime().compareTo(
                        oldestAttributes.lastModifiedTime()) < 0) {
                    oldest = path;
                    oldestAttributes = attributes;
                }
            } catch (NoSuchFileException e) {
                // removed meanwhile
            }
        }
        if (oldest != null && Files.deleteIfExists(oldest)) {
            removed(region, oldestAttributes.size());
            of(region).evictions.increment();
        }
    }
}
