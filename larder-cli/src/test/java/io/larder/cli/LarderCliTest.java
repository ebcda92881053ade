package io.larder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.larder.Key;
import io.larder.Larder;
import io.larder.Options;
import io.larder.store.DiskStore;
import io.larder.testing.FakeClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line against a real DiskStore folder with good, expired and corrupted entries. */
class LarderCliTest {
    @TempDir
    Path temp;
    Path folder;

    private record Run(int code, String out, String err) { }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LarderCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Larder larderOnFolder() {
        return Larder.builder().store(DiskStore.builder(folder).build()).build();
    }

    @BeforeEach
    void fillFolder() throws Exception {
        folder = temp.resolve("cache");
        try (Larder larder = larderOnFolder()) {
            for (int i = 0; i < 5; i++) {
                int n = i;
                larder.get(Key.of("home-posts", "en", i), String.class, Options.tags("posts"),
                        () -> "page " + n);
            }
            larder.get(Key.of("sidebar", "tags"), String.class, () -> "cloud");
        }
        // Two entries written long ago, by a clock in the past: expired now.
        FakeClock past = new FakeClock(java.time.Instant.parse("2020-01-01T00:00:00Z"));
        try (Larder old = Larder.builder().store(DiskStore.builder(folder).build()).clock(past)
                .ttl(Duration.ofMinutes(1)).build()) {
            old.get(Key.of("sidebar", "old", 1), String.class, () -> "stale");
            old.get(Key.of("sidebar", "old", 2), String.class, () -> "stale");
        }
    }

    private List<Path> entryFiles(String region) throws Exception {
        try (Stream<Path> files = Files.walk(folder.resolve(region))) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}"))
                    .sorted().toList();
        }
    }

    @Test
    void stats_countsEntriesBytesAndExpiredPerRegion() {
        Run run = run("stats", folder.toString());

        assertThat(run.code()).isZero();
        assertThat(run.out()).containsPattern("home-posts\\s+5\\s+\\d+\\s+0\\s+0")
                .containsPattern("sidebar\\s+3\\s+\\d+\\s+2\\s+0")
                .containsPattern("total\\s+8\\s+\\d+\\s+2\\s+0");
    }

    @Test
    void verify_findsDamagedAndForeignFiles_andRemoveDeletesThem() throws Exception {
        List<Path> files = entryFiles("home-posts");
        byte[] bytes = Files.readAllBytes(files.get(0));
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(files.get(0), bytes);
        Files.write(files.get(1), "not an entry at all, just some text".getBytes());
        Files.write(files.get(2), new byte[0]);

        Run check = run("verify", folder.toString());
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.out()).contains("bad CHECKSUM " + files.get(0))
                .contains("bad FOREIGN " + files.get(1))
                .contains("bad TRUNCATED " + files.get(2)).contains("3 bad file(s)");
        assertThat(files.get(0)).exists();

        Run removal = run("verify", folder.toString(), "--remove");
        assertThat(removal.code()).isZero();
        assertThat(files.get(0)).doesNotExist();
        assertThat(files.get(1)).doesNotExist();
        assertThat(run("verify", folder.toString()).out()).contains("0 bad file(s)");
        assertThat(run("stats", folder.toString()).out()).containsPattern("home-posts\\s+2\\s");
    }

    @Test
    void verify_entryCopiedOverAnotherKey_isForged() throws Exception {
        List<Path> files = entryFiles("home-posts");
        Files.copy(files.get(0), files.get(1), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Run check = run("verify", folder.toString());

        assertThat(check.out()).contains("bad FORGED " + files.get(1));
    }

    @Test
    void clear_tagAndRegion_makeTheEntriesMissesForTheApplication() {
        assertThat(run("clear", folder.toString(), "--tag", "posts", "--region", "sidebar").code())
                .isZero();

        try (Larder larder = larderOnFolder()) {
            assertThat(larder.get(Key.of("home-posts", "en", 1), String.class,
                    Options.tags("posts"), () -> "reloaded"))
                    .isEqualTo("reloaded");
            assertThat(larder.get(Key.of("sidebar", "tags"), String.class, () -> "reloaded"))
                    .isEqualTo("reloaded");
        }
    }

    @Test
    void clear_withoutWhat_isAUsageError() {
        Run run = run("clear", folder.toString());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--region or --tag");
    }

    @Test
    void warm_requestsEveryUrlOnce_andFailsOnAnError() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            int status = exchange.getRequestURI().getPath().equals("/broken") ? 500 : 200;
            byte[] body = "ok".getBytes();
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Path list = temp.resolve("urls.txt");
            Files.writeString(list, "# the home pages\n" + base + "/en/\n" + base + "/de/\n\n"
                    + base + "/fr/\n");

            Run ok = run("warm", "--file", list.toString(), "--concurrency", "2", "--rate", "200");
            assertThat(ok.code()).isZero();
            assertThat(ok.out()).contains("warmed 3 URL(s)").contains("200=3");
            assertThat(ok.err()).contains("3/3");
            assertThat(requests).hasValue(3);

            Run failed = run("warm", base + "/en/", base + "/broken");
            assertThat(failed.code()).isEqualTo(1);
            assertThat(failed.out()).contains("500=1");
        } finally {
            server.stop(0);
        }
    }
}
