package io.larder.store;

import io.larder.spi.BadEntryException;
import io.larder.spi.EntryFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Walks a {@link DiskStore} folder and reports, per region, its entries, bytes and expired
 * entries; a full check also reads every entry whole and verifies its checksum and HMAC, and may
 * delete the bad ones. For operators (the {@code larder} command line); a running store does
 * the same checks on every read.
 */
public final class DiskStoreCheck {
    private final RootFolder root;
    private final EntryFormat format;

    private DiskStoreCheck(RootFolder root, EntryFormat format) {
        this.root = root;
        this.format = format;
    }

    /**
     * A check of the store in {@code folder}, with the HMAC secret the store uses: {@code secret}
     * if the application gives one, else the one kept in the folder.
     *
     * @throws IllegalArgumentException if {@code folder} is not a folder
     */
    public static DiskStoreCheck of(Path folder, Optional<byte[]> secret) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + " is not a folder");
        }
        RootFolder root = RootFolder.open(folder);
        return new DiskStoreCheck(root, new EntryFormat(secret.orElseGet(root::secret)));
    }

    /**
     * Walks every entry.
     *
     * @param now the time that decides what is expired, epoch ms
     * @param full whether to read each entry whole and verify it (else only its header)
     * @param removeBad whether to delete the entries found bad
     */
    public Report run(long now, boolean full, boolean removeBad) throws IOException {
        Map<String, Counts> regions = new TreeMap<>();
        List<BadFile> bad = new ArrayList<>();
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root.root())) {
            for (Path region : folders) {
                String name = region.getFileName().toString();
                if (name.startsWith(".") || !Files.isDirectory(region, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Counts counts = regions.computeIfAbsent(name, n -> new Counts());
                try (DirectoryStream<Path> shards = Files.newDirectoryStream(region)) {
                    for (Path shard : shards) {
                        if (Files.isDirectory(shard, LinkOption.NOFOLLOW_LINKS)) {
                            checkShard(name, shard, now, full, removeBad, counts, bad);
                        }
                    }
                }
            }
        }
        List<RegionReport> reports = new ArrayList<>();
        regions.forEach((name, c) -> reports.add(
                new RegionReport(name, c.entries, c.bytes, c.expired, c.bad)));
        return new Report(reports, bad);
    }

    private void checkShard(String region, Path shard, long now, boolean full, boolean removeBad,
            Counts counts, List<BadFile> bad) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
            for (Path file : files) {
                String digest = file.getFileName().toString();
                if (!RootFolder.isEntryName(digest)) {
                    continue;
                }
                try {
                    BadEntryException.Reason reason = check(file, digest, now, full, counts);
                    if (reason != null) {
                        counts.bad++;
                        bad.add(new BadFile(file, region, reason));
                        if (removeBad) {
                            Files.deleteIfExists(file);
                        }
                    }
                } catch (NoSuchFileException e) {
                    // replaced or removed by a running store meanwhile
                }
            }
        }
    }

    private BadEntryException.Reason check(Path file, String digest, long now, boolean full,
            Counts counts) throws IOException {
        long size = Files.size(file);
        long usableUntil;
        if (full) {
            try {
                usableUntil = format.read(digest, Files.readAllBytes(file)).usableUntil();
            } catch (BadEntryException e) {
                return e.reason();
            }
        } else {
            byte[] head = new byte[EntryFormat.PEEK_LENGTH];
            int read;
            try (InputStream in = Files.newInputStream(file)) {
                read = in.readNBytes(head, 0, head.length);
            }
            usableUntil = EntryFormat.peekUsableUntil(head, read);
            if (usableUntil == Long.MIN_VALUE) {
                return read < head.length ? BadEntryException.Reason.TRUNCATED
                        : BadEntryException.Reason.FOREIGN;
            }
        }
        counts.entries++;
        counts.bytes += size;
        if (usableUntil <= now) {
            counts.expired++;
        }
        return null;
    }

    private static final class Counts {
        long entries;
        long bytes;
        long expired;
        long bad;
    }

    /**
     * One region's files.
     *
     * @param region the region
     * @param entries readable entries (expired ones included)
     * @param bytes their size on disk
     * @param expired entries that can no longer be served, even stale
     * @param bad files that are damaged, foreign, of another version, or not authentic
     */
    public record RegionReport(String region, long entries, long bytes, long expired, long bad) { }

    /**
     * A file found bad.
     *
     * @param file where it is
     * @param region its region
     * @param reason what is wrong with it
     */
    public record BadFile(Path file, String region, BadEntryException.Reason reason) { }

    /**
     * The result of a walk.
     *
     * @param regions per region, by name
     * @param badFiles every bad file found
     */
    public record Report(List<RegionReport> regions, List<BadFile> badFiles) {
        /** How many bad files were found, by reason. */
        public Map<BadEntryException.Reason, Long> badByReason() {
            Map<BadEntryException.Reason, Long> counts =
                    new EnumMap<>(BadEntryException.Reason.class);
            badFiles.forEach(f -> counts.merge(f.reason(), 1L, Long::sum));
            return counts;
        }
    }
}
