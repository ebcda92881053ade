package io.larder;

/**
 * What one region did since start: an immutable snapshot.
 *
 * @param region the region's name
 * @param hits reads served fresh from the cache
 * @param staleHits reads served stale while a refresh ran
 * @param misses reads that found nothing usable and waited for a load
 * @param loads loader runs, including background refreshes
 * @param loadFailures loader runs that threw
 * @param loadNanos total time spent in loaders
 * @param storeErrors store failures that were turned into misses or skipped writes
 * @param evictions entries the store dropped to stay within its bounds
 * @param entries entries stored, or -1 where the store cannot tell
 * @param bytes bytes stored, or -1 where the store cannot tell
 */
public record RegionStats(String region, long hits, long staleHits, long misses, long loads,
        long loadFailures, long loadNanos, long storeErrors, long evictions, long entries,
        long bytes) {

    /** Hits (fresh and stale) over all reads, or 0 with no reads. */
    public double hitRatio() {
        long reads = hits + staleHits + misses;
        return reads == 0 ? 0 : (double) (hits + staleHits) / reads;
    }

    /** Mean loader time in milliseconds, or 0 with no loads. */
    public double meanLoadMillis() {
        return loads == 0 ? 0 : loadNanos / 1e6 / loads;
    }
}
