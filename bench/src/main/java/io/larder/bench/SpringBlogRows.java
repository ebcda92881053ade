package io.larder.bench;

import io.larder.bench.HttpLoad.Result;
import io.larder.bench.Report.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The Spring blog ({@code examples/spring-blog}) in the report, beside the Javalin blog's rows:
 * its home page in each cache mode, each in a JVM of its own on the memory store (nothing cached
 * at start), measured as the Javalin blog's modes are. Its H2 database is seeded by its first
 * start with the report's sizes (the same seed, blog-common's) and kept between runs.
 */
final class SpringBlogRows {
    private static final String[][] MODES = {
        {"off", "uncached, ORM"}, {"query", "query cache (ORM)"},
        {"fragment", "fragment cache (Thymeleaf)"}, {"page", "page cache (servlet filter)"}};

    private final Settings settings;
    private final Report.Run run;

    SpringBlogRows(Settings settings, Report.Run run) {
        this.settings = settings;
        this.run = run;
    }

    /** Adds a row per mode, or a note saying why there are none. */
    void measure() throws InterruptedException {
        Path jar = settings.springBlogJar();
        if (jar == null) {
            run.notes.add("Spring blog rows skipped: --no-spring");
            return;
        }
        if (!Files.isRegularFile(jar)) {
            run.notes.add("Spring blog rows skipped: " + jar + " not found (mvn -B -q"
                    + " -DskipTests package -pl examples/spring-blog -am)");
            return;
        }
        String name = "";
        try {
            name = "h2.spring_seed";
            try (BlogProcess seeded = start(jar, "off", name)) {
                System.out.printf("Spring blog seeded and started in %.1f s%n",
                        seeded.startSeconds());
            }
            for (String[] mode : MODES) {
                name = "h2.spring_" + mode[0];
                try (BlogProcess blog = start(jar, mode[0], name)) {
                    IntFunction<String> home = i -> "/" + settings.lang() + "/";
                    Result warm = HttpLoad.warmUp(blog.port(), home, settings.connections(),
                            settings.warmup(), Report.WARM_UP_REQUESTS);
                    Result result = HttpLoad.run(blog.port(), home, settings.connections(),
                            settings.duration(), warm.histogram().getValueAtPercentile(50),
                            null);
                    Row row = new Row(name, "Spring blog: " + mode[1], result,
                            blog.startSeconds());
                    run.rows.add(row);
                    System.out.println(result.line(name));
                }
            }
        } catch (IOException e) {
            run.notes.add(name + " failed: " + e.getMessage());
            System.out.println(name + " FAILED: " + e.getMessage());
        }
    }

    private BlogProcess start(Path jar, String mode, String name)
            throws IOException, InterruptedException {
        int port = BlogProcess.freePort();
        Path data = settings.data().resolve("spring");
        Files.createDirectories(data);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(settings.serverJvm());
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port,
                "--blog.cache=" + mode, "--larder.store=memory",
                // Tomcat closes a connection after 100 requests by default; Jetty does not.
                "--server.tomcat.max-keep-alive-requests=-1",
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("blog"),
                "--blog.seed.posts=" + settings.posts(),
                "--blog.seed.comments=" + settings.comments()));
        return BlogProcess.start(command, port, line -> line.contains("Started SpringBlog in"),
                settings.out().resolve("logs/" + name + ".log"));
    }
}
