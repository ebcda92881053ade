package io.larder.blog.cache;

/** Where cached entries live. */
public enum StoreKind {
    /** In this process only. */
    MEMORY,
    /** In files under the data folder: survives restarts, shared by processes. */
    FILE,
    /** Memory in front of files. */
    TIERED,
    /** Memory in front of Redis: shared by every node, invalidated on every node. */
    REDIS
}
