package io.larder.blog;

import static org.assertj.core.api.Assertions.assertThat;

import io.larder.RegionStats;
import io.larder.blog.cache.CacheMode;
import io.larder.blog.cache.StoreKind;
import io.larder.store.DiskStore;
import io.larder.testing.Soak;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blog's resources failing while it serves: its cache folder full, read-only, or refusing
 * writes (immutable; where the test is not root: folders without write permission), then
 * healthy again; and its database locked. Every request is answered
 * with the right page (from the database when the cache cannot help), store errors are counted
 * and each kind is logged once per burst, nothing reaches a visitor; cached pages are served
 * while the database is locked.
 */
class BlogResourcesTest {
    @TempDir
    Path dir;
    private final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void unmount() throws Exception {
        for (Path mount : mounts) {
            run("chattr", "-R", "-i", mount.toString());
            run("umount", "-l", mount.toString());
        }
    }

    private static boolean run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    /** Mounts a 4 MB tmpfs at {@code folder}; false where this process may not (not root). */
    private boolean tmpfs(Path folder) throws Exception {
        Files.createDirectories(folder);
        if (!run("mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", folder.toString())) {
            return false;
        }
        mounts.add(folder);
        return true;
    }

    /** Something done to a cache folder, or undone. */
    private interface Action {
        void on(Path cache) throws Exception;
    }

    /** A fault of the cache folder: how to cause it and how to end it. */
    private record Fault(String name, Action cause, Action end) { }

    /**
     * The faults tried: on a tmpfs (as root) full, read-only and immutable (writes refused with
     * EPERM); elsewhere folders without write permission (EACCES), which root would ignore.
     */
    private static List<Fault> faults(boolean tmpfs) {
        if (!tmpfs) {
            return List.of(new Fault("permissionDenied", cache -> folders(cache, "r-x------"),
                    cache -> folders(cache, "rwx------")));
        }
        return List.of(new Fault("full", BlogResourcesTest::fill,
                        cache -> Files.delete(cache.resolve("filler"))),
                // A read-only bind over the folder (a plain remount is refused while the store
                // holds its tag table open for writing).
                new Fault("readOnly", cache -> require(run("mount", "--bind", cache.toString(),
                        cache.toString()) && run("mount", "-o", "remount,ro,bind",
                        cache.toString())), cache -> require(run("umount", cache.toString()))),
                new Fault("refusingWrites", cache -> require(run("chattr", "-R", "+i",
                        cache.toString())), cache -> require(run("chattr", "-R", "-i",
                        cache.toString()))));
    }

    private static void require(boolean done) {
        assertThat(done).as("command succeeded").isTrue();
    }

    private static void folders(Path cache, String permissions) throws IOException {
        try (Stream<Path> all = Files.walk(cache)) {
            for (Path folder : all.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString(permissions));
            }
        }
    }

    /** The list pages of every language that exist (up to 4 each), with their bodies. */
    private static Map<String, String> pages(BlogServer reference) {
        Map<String, String> pages = new LinkedHashMap<>();
        for (String lang : List.of("en", "de", "fr", "es")) {
            for (int n = 1; n <= 4; n++) {
                String page = n == 1 ? "/" + lang + "/" : "/" + lang + "/page/" + n;
                HttpResponse<String> r = Load.get(reference.url() + page);
                if (r.statusCode() == 200) {
                    pages.put(page, r.body());
                }
            }
        }
        assertThat(pages).hasSizeGreaterThanOrEqualTo(10);
        return pages;
    }

    @Test
    void cacheFolderFullReadOnlyRefusingWrites_everyRequestServed_countedAndLoggedOncePerBurst()
            throws Exception {
        try (TestDb db = TestDb.h2();
             BlogServer reference = BlogNode.start(db, dir.resolve("reference"), CacheMode.OFF,
                     StoreKind.MEMORY);
             LarderLog log = new LarderLog()) {
            Map<String, BlogServer> servers = new LinkedHashMap<>();
            boolean tmpfs = true;
            for (CacheMode mode : List.of(CacheMode.QUERY, CacheMode.PAGE)) {
                BlogConfig config = BlogNode.config(db, dir.resolve(mode.name()), mode,
                        StoreKind.FILE, null);
                tmpfs &= tmpfs(config.cacheDir());
                servers.put(mode.name().toLowerCase() + "/file", BlogNode.start(db, config));
            }
            List<Fault> faults = faults(tmpfs);
            if (!tmpfs) {
                System.out.println("BlogResourcesTest: cannot mount a tmpfs (needs root): the full,"
                        + " read-only and immutable cache folder are not tried, only folders"
                        + " without write permission");
            }
            try {
                Map<String, String> expected = pages(reference);
                int rounds = Soak.rounds(3, 30);
                Map<String, Long> report = new LinkedHashMap<>();
                long started = System.nanoTime();

                phase("healthy", servers, expected, rounds, report, cache -> { });
                for (Fault fault : faults) {
                    phase(fault.name(), servers, expected, rounds, report, fault.cause());
                    for (BlogServer server : servers.values()) {
                        fault.end().on(server.config().cacheDir());
                    }
                }
                phase("recovered", servers, expected, rounds, report, cache -> { });
                double minutes = (System.nanoTime() - started) / 60e9;

                Map<String, Long> lines = log.linesByKind();
                report.put("warningLines", lines.values().stream().mapToLong(Long::longValue)
                        .sum());
                report.put("kindsOfFailure", (long) lines.size());
                Soak.report("blog-cache-folder-faults", report);

                long faultErrors = 0;
                for (Fault fault : faults) {
                    long errors = report.get(fault.name() + ".storeErrors");
                    assertThat(errors).as("errors counted when %s", fault.name()).isPositive();
                    faultErrors += errors;
                }
                for (var e : report.entrySet()) {
                    if (e.getKey().endsWith(".wrong")) {
                        assertThat(e.getValue()).as(e.getKey()).isZero();
                    }
                }
                assertThat(report.get("recovered.hits")).as("served from the cache again")
                        .isPositive();
                // Each server's Larder logs each kind of failure once per minute (its burst
                // window) at most.
                long bursts = (1 + (long) Math.floor(minutes)) * servers.size();
                assertThat(lines.values()).as("lines per kind: %s", lines)
                        .allMatch(n -> n <= bursts);
                assertThat(report.get("warningLines")).isLessThan(faultErrors);
            } finally {
                servers.values().forEach(BlogServer::close);
            }
        }
    }

    /**
     * Drops every cached entry (so that each page is loaded and written again) and waits until
     * the stores have deleted the dropped files, causes {@code fault}, then asks every page
     * {@code rounds} times from 4 threads; records answers and the cache's counters.
     */
    private static void phase(String name, Map<String, BlogServer> servers,
            Map<String, String> expected, int rounds, Map<String, Long> report, Action fault)
            throws Exception {
        long errorsBefore = 0;
        long hitsBefore = 0;
        long ioBefore = 0;
        for (BlogServer server : servers.values()) {
            server.larder().stats().keySet().forEach(server.larder()::invalidateRegion);
            awaitEmptyTrash(server.config().cacheDir());
            fault.on(server.config().cacheDir());
            errorsBefore += total(server, RegionStats::storeErrors);
            hitsBefore += total(server, RegionStats::hits);
            ioBefore += ((DiskStore) server.larder().store()).stats().ioErrors();
        }
        List<String> pages = new ArrayList<>(expected.keySet());
        List<BlogServer> list = new ArrayList<>(servers.values());
        int n = rounds * pages.size() * list.size();
        LongAdder wrong = new LongAdder();
        List<Throwable> failures = Load.parallel(4, n, i -> {
            BlogServer server = list.get(i % list.size());
            String page = pages.get(i / list.size() % pages.size());
            HttpResponse<String> r = Load.get(server.url() + page);
            if (r.statusCode() != 200 || !r.body().equals(expected.get(page))) {
                wrong.increment();
            }
        });
        assertThat(failures).as("requests that threw when %s", name).isEmpty();
        long errors = -errorsBefore;
        long hits = -hitsBefore;
        long io = -ioBefore;
        for (BlogServer server : servers.values()) {
            errors += total(server, RegionStats::storeErrors);
            hits += total(server, RegionStats::hits);
            io += ((DiskStore) server.larder().store()).stats().ioErrors();
        }
        report.put(name + ".requests", (long) n);
        report.put(name + ".wrong", wrong.sum());
        report.put(name + ".storeErrors", errors);
        report.put(name + ".fileIoErrors", io);
        report.put(name + ".hits", hits);
    }

    /** Waits (up to a minute) until the file store has deleted the regions it moved aside. */
    private static void awaitEmptyTrash(Path cache) throws Exception {
        Path trash = cache.resolve(".trash");
        for (int i = 0; i < 600 && Files.isDirectory(trash); i++) {
            try (Stream<Path> left = Files.list(trash)) {
                if (left.findAny().isEmpty()) {
                    return;
                }
            }
            Thread.sleep(100); // the store's sweeper empties it in the background
        }
    }

    private static long total(BlogServer server,
            java.util.function.ToLongFunction<RegionStats> counter) {
        return server.larder().stats().values().stream().mapToLong(counter).sum();
    }

    /** Writes a file into {@code folder} until its file system is full. */
    private static void fill(Path folder) {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(folder.resolve("filler"))) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            // no space left on device: what this phase needs
        }
    }

    @Test
    void databaseLocked_cachedPagesAreServed_uncachedOnesWaitAndAreServedAfter() throws Exception {
        try (TestDb db = TestDb.postgres();
             BlogServer reference = BlogNode.start(db, dir.resolve("reference"), CacheMode.OFF,
                     StoreKind.MEMORY)) {
            Map<String, BlogServer> servers = new LinkedHashMap<>();
            try {
                for (CacheMode mode : List.of(CacheMode.QUERY, CacheMode.FRAGMENT,
                        CacheMode.PAGE)) {
                    servers.put(mode.name().toLowerCase(), BlogNode.start(db,
                            dir.resolve(mode.name()), mode, StoreKind.MEMORY));
                }
                Map<String, String> expected = pages(reference);
                List<String> all = new ArrayList<>(expected.keySet());
                List<String> cached = all.subList(0, all.size() / 2);
                List<String> uncached = all.subList(all.size() / 2, all.size());
                for (BlogServer server : servers.values()) {
                    cached.forEach(p -> Load.get(server.url() + p));
                }
                int rounds = Soak.rounds(5, 100);
                LongAdder servedWhileLocked = new LongAdder();
                LongAdder wrong = new LongAdder();
                List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
                List<String> waitingPages = new ArrayList<>();
                try (Connection lock = db.db.connection(); Statement s = lock.createStatement()) {
                    lock.setAutoCommit(false);
                    s.execute("LOCK TABLE post_translation IN ACCESS EXCLUSIVE MODE");
                    for (BlogServer server : servers.values()) {
                        for (String page : uncached) {
                            waiting.add(CompletableFuture.supplyAsync(
                                    () -> Load.get(server.url() + page)));
                            waitingPages.add(page);
                        }
                    }
                    // Cached pages need no query: they are answered while the lock is held (if
                    // they were not, these requests would wait for it and time out).
                    List<BlogServer> list = new ArrayList<>(servers.values());
                    List<Throwable> failures = Load.parallel(4,
                            rounds * cached.size() * list.size(), i -> {
                                BlogServer server = list.get(i % list.size());
                                String page = cached.get(i / list.size() % cached.size());
                                HttpResponse<String> r = Load.get(server.url() + page);
                                if (r.statusCode() == 200 && r.body().equals(expected.get(page))) {
                                    servedWhileLocked.increment();
                                } else {
                                    wrong.increment();
                                }
                            });
                    assertThat(failures).isEmpty();
                    lock.rollback();
                }
                long servedAfter = 0;
                for (int i = 0; i < waiting.size(); i++) {
                    HttpResponse<String> r = waiting.get(i).get(60, TimeUnit.SECONDS);
                    String page = waitingPages.get(i);
                    if (r.statusCode() == 200 && r.body().equals(expected.get(page))) {
                        servedAfter++;
                    } else {
                        wrong.increment();
                    }
                }
                Soak.report("blog-database-locked", Map.of("cachedRequestsWhileLocked",
                        rounds * cached.size() * servers.size(), "servedWhileLocked",
                        servedWhileLocked.sum(), "uncachedRequests", waiting.size(),
                        "uncachedServedAfterUnlock", servedAfter, "wrong", wrong.sum()));
                assertThat(wrong.sum()).isZero();
                assertThat(servedWhileLocked.sum())
                        .isEqualTo((long) rounds * cached.size() * servers.size());
                assertThat(servedAfter).isEqualTo(waiting.size());
            } finally {
                servers.values().forEach(BlogServer::close);
            }
        }
    }
}
