package io.larder.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The reliability suite's two lengths and its counts. A test asks {@link #rounds} how many times
 * to try something (the short number in CI, the long one under {@code mvn verify -Psoak}), and
 * hands what it tried and lost to {@link #report}, which prints one line and writes
 * {@code target/reliability/<name>.json} so that RELIABILITY.md's figures can be read off a run.
 */
public final class Soak {
    private Soak() {
    }

    /** True under {@code -Psoak} (system property {@code larder.soak=true}). */
    public static boolean enabled() {
        return Boolean.getBoolean("larder.soak");
    }

    /** {@code ci} normally, {@code soak} under {@code -Psoak}. */
    public static int rounds(int ci, int soak) {
        return enabled() ? soak : ci;
    }

    /**
     * Records the counts of one experiment, for example {@code tried=20000, rejected=20000,
     * decoded=0}. Keys keep their order if the map does (use {@link java.util.LinkedHashMap}).
     */
    public static void report(String name, Map<String, ? extends Number> counts) {
        String json = counts.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": " + e.getValue())
                .collect(Collectors.joining(", ", "{\"name\": \"" + name + "\", \"soak\": "
                        + enabled() + ", ", "}"));
        System.out.println("RELIABILITY " + json);
        Path dir = Path.of("target", "reliability");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".json"), json + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
