package io.larder.cli;

import io.larder.Larder;
import io.larder.LarderBuilder;
import io.larder.store.DiskStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code larder clear FOLDER --region R --tag T}: invalidates regions and tags exactly as the
 * application would (through a {@link Larder} on the folder), so running applications see it at
 * once: their next read of those entries is a miss.
 */
@Command(name = "clear",
        description = "Invalidate regions or tags; running applications see it at once.")
final class ClearCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FOLDER", description = "The DiskStore folder.")
    Path folder;

    @Option(names = "--region", paramLabel = "REGION",
            description = "A region to clear (repeatable).")
    List<String> regions = List.of();

    @Option(names = "--tag", paramLabel = "TAG", description = "A tag to invalidate (repeatable).")
    List<String> tags = List.of();

    @Mixin
    LarderCli.SecretOption secret;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (regions.isEmpty() && tags.isEmpty()) {
            spec.commandLine().getErr().println("name at least one --region or --tag");
            return 2;
        }
        LarderBuilder builder = Larder.builder().store(DiskStore.builder(folder).build());
        Optional<byte[]> key = secret.secret();
        key.ifPresent(builder::hmacSecret);
        try (Larder larder = builder.build()) {
            for (String region : regions) {
                larder.invalidateRegion(region);
                out.println("cleared region " + region);
            }
            if (!tags.isEmpty()) {
                larder.invalidateTags(tags);
                tags.forEach(tag -> out.println("invalidated tag " + tag));
            }
            if (larder.invalidationErrors() > 0) {
                spec.commandLine().getErr().println("the store failed to apply "
                        + larder.invalidationErrors() + " invalidation(s); see the log");
                return 1;
            }
        }
        out.flush();
        return 0;
    }
}
